/**
 * A view's materializations, newest first: whether it finished, how (full or
 * incremental), how many entities it wrote, when, from which source version, up to which
 * event time, and who ran it; a failed one says why.
 */
import React from 'react';

import { Materialization } from '../api/client';
import { ActorSource } from '../components/ActorSource';
import { formatUtc } from '../components/format';

function Entry({ m }: { m: Materialization }): JSX.Element {
  return (
    <li className="jp-mlops-version" data-testid="mlops-materialization">
      <div className="jp-mlops-version-head">
        <span
          className={`jp-mlops-status jp-mlops-materialization-${m.status}`}
        >
          {m.status}
        </span>
        <span>{m.mode}</span>
        <span className="jp-mlops-count">
          {m.rows} entit{m.rows === 1 ? 'y' : 'ies'}
        </span>
      </div>
      <div className="jp-mlops-meta">
        {formatUtc(m.started_at)} · from {m.dataset}@v{m.dataset_version} · view
        v{m.view_version}
        {m.watermark && ` · up to ${formatUtc(m.watermark)}`} · by {m.author}{' '}
        <ActorSource source={m.author_source} />
      </div>
      {m.error && <div className="jp-mlops-error">{m.error}</div>}
    </li>
  );
}

export function MaterializationList(props: {
  materializations: Materialization[];
}): JSX.Element {
  if (props.materializations.length === 0) {
    return (
      <p className="jp-mlops-empty" data-testid="mlops-no-materializations">
        Not materialized yet: lookups find nothing until its latest values are
        written to the online store. Press Materialize, or run{' '}
        <code>mlops.features.materialize(…)</code>.
      </p>
    );
  }
  return (
    <ol className="jp-mlops-timeline" data-testid="mlops-materializations">
      {props.materializations.map(m => (
        <Entry key={m.id} m={m} />
      ))}
    </ol>
  );
}
