/**
 * The tracked runs that consumed or produced a version; each opens in the Experiments
 * panel.
 */
import React from 'react';

import { LineageRun } from '../api/client';
import { formatTime, shortId } from '../components/format';

export function LineageList(props: {
  runs: LineageRun[];
  onOpenRun: (runId: string) => void;
}): JSX.Element {
  if (props.runs.length === 0) {
    return (
      <div className="jp-mlops-empty" data-testid="mlops-no-lineage">
        No tracked run consumed or produced this version yet. Load or save it
        inside a <code>%%track</code> cell and the run appears here.
      </div>
    );
  }
  return (
    <ul className="jp-mlops-lineage" data-testid="mlops-lineage">
      {props.runs.map(run => (
        <li
          key={`${run.run_id}-${run.context}`}
          data-testid="mlops-lineage-run"
        >
          <span className={`jp-mlops-context jp-mlops-context-${run.context}`}>
            {run.context}
          </span>
          <span className="jp-mlops-lineage-by">by</span>
          <a
            className="jp-mlops-link"
            data-testid="mlops-lineage-open"
            title={`Open run ${run.run_id} in Experiments`}
            onClick={() => props.onOpenRun(run.run_id)}
          >
            {run.run_name || shortId(run.run_id)}
          </a>
          <span className={`jp-mlops-status jp-mlops-status-${run.status}`}>
            {run.status}
          </span>
          <span className="jp-mlops-count">{formatTime(run.start_time)}</span>
        </li>
      ))}
    </ul>
  );
}
