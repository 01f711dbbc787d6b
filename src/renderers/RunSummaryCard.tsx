/**
 * The card a `%%track` cell ends with: run, params, metrics, the change against the best
 * earlier run, and a button that opens the run in the Experiments panel.
 */
import React from 'react';

import { RunSummary } from '../api/client';
import { formatNumber, shortId } from '../components/format';

const MAX_ITEMS = 8;

function Pairs(props: { items: [string, string][] }): JSX.Element {
  const shown = props.items.slice(0, MAX_ITEMS);
  const extra = props.items.length - shown.length;
  return (
    <span className="jp-mlops-pairs">
      {shown.map(([k, v]) => (
        <span key={k} className="jp-mlops-pair" title={`${k}=${v}`}>
          <b>{k}</b>={v.length > 40 ? v.slice(0, 39) + '…' : v}
        </span>
      ))}
      {extra > 0 && <span className="jp-mlops-more">… and {extra} more</span>}
      {props.items.length === 0 && '—'}
    </span>
  );
}

function Delta({ s }: { s: RunSummary }): JSX.Element {
  const metric = s.primary_metric;
  if (!metric) {
    return <span>no metric logged</span>;
  }
  const value = s.metrics[metric];
  if (value === null || value === undefined) {
    return <span>{metric} not logged in this run</span>;
  }
  if (s.delta === null || s.delta === undefined) {
    return (
      <span>
        {metric} = {formatNumber(value)} (first run with it)
      </span>
    );
  }
  const better = s.delta > 0 === s.greater_is_better;
  const arrow = s.delta > 0 ? '▲' : s.delta < 0 ? '▼' : '=';
  const tone =
    s.delta === 0
      ? 'jp-mlops-same'
      : better
        ? 'jp-mlops-better'
        : 'jp-mlops-worse';
  return (
    <span data-testid="mlops-run-delta">
      {metric} = {formatNumber(value)}{' '}
      <span className={tone}>
        {arrow} {s.delta > 0 ? '+' : ''}
        {formatNumber(s.delta)}
      </span>{' '}
      vs best earlier run {s.best_run_name} ({formatNumber(s.best_value)})
    </span>
  );
}

export interface IRunSummaryCardProps {
  summary: RunSummary;
  onOpen: (runId: string) => void;
}

export function RunSummaryCard({
  summary,
  onOpen
}: IRunSummaryCardProps): JSX.Element {
  const metrics = Object.entries(summary.metrics).map(
    ([k, v]) => [k, formatNumber(v)] as [string, string]
  );
  return (
    <div className="jp-mlops-run-card" data-testid="mlops-run-card">
      <div className="jp-mlops-run-card-head">
        <span className={`jp-mlops-status jp-mlops-status-${summary.status}`}>
          {summary.status}
        </span>{' '}
        <b>{summary.run_name}</b> <code>{shortId(summary.run_id)}</code> in{' '}
        {summary.experiment_name}
        <button
          className="jp-mlops-button"
          data-testid="mlops-open-run"
          onClick={() => onOpen(summary.run_id)}
        >
          Open in Experiments
        </button>
      </div>
      <div>
        params: <Pairs items={Object.entries(summary.params).sort()} />
      </div>
      <div>
        metrics: <Pairs items={metrics.sort()} />
      </div>
      <div>
        <Delta s={summary} />
      </div>
    </div>
  );
}
