/**
 * The online values found, one card per entity in the order asked: its keys, per view
 * whether its values were present, missing or expired with their event time and age,
 * then each feature's value.
 */
import React from 'react';

import { OnlineFeature, OnlineResult, OnlineRow } from '../api/client';
import { formatUtc } from '../components/format';
import { formatAge } from './format';

type Value = OnlineRow['values'][string] | undefined;

function text(value: Value): React.ReactNode {
  return value === null || value === undefined ? (
    <span className="jp-mlops-null">null</span>
  ) : (
    String(value)
  );
}

function ViewStatus(props: {
  status: OnlineFeature;
  named: boolean;
}): JSX.Element {
  const { status } = props;
  return (
    <div className="jp-mlops-lookup-status" data-testid="mlops-lookup-status">
      <span
        className={`jp-mlops-badge jp-mlops-online-${status.status}`}
        title={`${status.view}: ${status.status}`}
      >
        {status.status}
      </span>
      {props.named && <span>{status.view}</span>}
      {status.event_time && (
        <>
          <span>{formatAge(status.age_seconds)} old</span>
          <span className="jp-mlops-count">
            event {formatUtc(status.event_time)}
          </span>
        </>
      )}
    </div>
  );
}

function Row(props: { row: OnlineRow; features: string[] }): JSX.Element {
  const { row } = props;
  return (
    <li className="jp-mlops-lookup-row" data-testid="mlops-lookup-row">
      <div className="jp-mlops-column-head" data-testid="mlops-lookup-key">
        {Object.entries(row.key).map(([key, value]) => (
          <span key={key} className="jp-mlops-column-name">
            <span className="jp-mlops-stat-label">{key}</span> {text(value)}
          </span>
        ))}
      </div>
      {row.views.map(status => (
        <ViewStatus
          key={status.view}
          status={status}
          named={row.views.length > 1}
        />
      ))}
      <div className="jp-mlops-stats" data-testid="mlops-lookup-values">
        {props.features.map(f => (
          <span key={f} className="jp-mlops-stat">
            <span className="jp-mlops-stat-label">{f}</span>{' '}
            {text(row.values[f])}
          </span>
        ))}
      </div>
    </li>
  );
}

export function LookupResult(props: { result: OnlineResult }): JSX.Element {
  const { result } = props;
  return (
    <ol className="jp-mlops-lookup-rows" data-testid="mlops-lookup-result">
      {result.rows.map((row, r) => (
        <Row key={r} row={row} features={result.features} />
      ))}
    </ol>
  );
}
