/**
 * Where a view or a service is used: the MLflow runs trained on it, newest first, each
 * with the service it used and the registered model versions it produced; a run opens in
 * the Experiments panel.
 */
import React from 'react';

import { FeatureUsageRun } from '../api/client';
import { formatTime, shortId } from '../components/format';

export function UsedByList(props: {
  runs: FeatureUsageRun[];
  onOpenRun: (runId: string) => void;
}): JSX.Element {
  if (props.runs.length === 0) {
    return (
      <p className="jp-mlops-empty" data-testid="mlops-no-usage">
        No tracked run trained on it yet. Build a training set inside a tracked
        run (<code>%%track</code> or <code>mlops.track()</code>) and the run
        appears here.
      </p>
    );
  }
  return (
    <ul className="jp-mlops-lineage" data-testid="mlops-used-by">
      {props.runs.map(run => (
        <li key={run.run_id} data-testid="mlops-usage-run">
          <a
            className="jp-mlops-link"
            data-testid="mlops-usage-open"
            title={`Open run ${run.run_id} in Experiments`}
            onClick={() => props.onOpenRun(run.run_id)}
          >
            {run.run_name || shortId(run.run_id)}
          </a>
          {run.service && (
            <span className="jp-mlops-tag" title="The feature service it used">
              {run.service}
            </span>
          )}
          {run.models.map(model => (
            <span
              key={model}
              className="jp-mlops-model-version"
              data-testid="mlops-usage-model"
              title="A registered model version this run produced"
            >
              {model}
            </span>
          ))}
          <span className="jp-mlops-count">{formatTime(run.start_time)}</span>
        </li>
      ))}
    </ul>
  );
}
