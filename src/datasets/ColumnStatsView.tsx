/**
 * A table version's schema with per-column statistics from its manifest: type, nulls,
 * min / max / mean / std, quartiles, and the most frequent values.
 */
import React from 'react';

import { ColumnStats } from '../api/client';
import { formatNumber } from '../components/format';

const TOP_VALUES_SHOWN = 5;

function Stat(props: { label: string; value: number | null }): JSX.Element {
  return (
    <span className="jp-mlops-stat">
      <span className="jp-mlops-stat-label">{props.label}</span>{' '}
      {formatNumber(props.value)}
    </span>
  );
}

/** A datetime column's range: the manifest keeps it as epoch seconds. */
function DateRange({ column }: { column: ColumnStats }): JSX.Element {
  const iso = (seconds: number | null | undefined) =>
    seconds === null || seconds === undefined
      ? '—'
      : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  return (
    <div className="jp-mlops-stats" data-testid="mlops-date-range">
      <span className="jp-mlops-stat-label">from</span> {iso(column.min)}{' '}
      <span className="jp-mlops-stat-label">to</span> {iso(column.max)}
    </div>
  );
}

function ColumnCard({ column }: { column: ColumnStats }): JSX.Element {
  const quantiles = Object.entries(column.quantiles ?? {}).sort(
    ([a], [b]) => Number(a) - Number(b)
  );
  const top = (column.top_values ?? []).slice(0, TOP_VALUES_SHOWN);
  const datetime = column.dtype.startsWith('datetime64');
  const numeric = !datetime && (column.min !== null || column.mean !== null);
  return (
    <li className="jp-mlops-column" data-testid="mlops-dataset-column">
      <div className="jp-mlops-column-head">
        <span className="jp-mlops-column-name">{column.name}</span>
        <span className="jp-mlops-dtype">{column.dtype}</span>
        <span
          className={column.nulls > 0 ? 'jp-mlops-nulls' : 'jp-mlops-count'}
        >
          {column.nulls} null{column.nulls === 1 ? '' : 's'}
        </span>
      </div>
      {datetime && column.min !== null && <DateRange column={column} />}
      {numeric && (
        <div className="jp-mlops-stats">
          <Stat label="min" value={column.min} />
          <Stat label="max" value={column.max} />
          <Stat label="mean" value={column.mean} />
          <Stat label="std" value={column.std} />
        </div>
      )}
      {quantiles.length > 0 && (
        <div className="jp-mlops-stats">
          {quantiles.map(([q, value]) => (
            <Stat
              key={q}
              label={`q${Math.round(Number(q) * 100)}`}
              value={value}
            />
          ))}
        </div>
      )}
      {top.length > 0 && (
        <div className="jp-mlops-stats" data-testid="mlops-top-values">
          <span className="jp-mlops-stat-label">top</span>{' '}
          {top.map(([value, count]) => (
            <span key={value} className="jp-mlops-top-value">
              {value} <span className="jp-mlops-count">({count})</span>
            </span>
          ))}
        </div>
      )}
    </li>
  );
}

export function ColumnStatsView(props: {
  columns: ColumnStats[];
  keyColumns: string[] | null;
}): JSX.Element {
  if (props.columns.length === 0) {
    return <p className="jp-mlops-empty">This version has no columns.</p>;
  }
  return (
    <>
      {props.keyColumns && props.keyColumns.length > 0 && (
        <div className="jp-mlops-meta">key: {props.keyColumns.join(', ')}</div>
      )}
      <ul className="jp-mlops-columns" data-testid="mlops-dataset-schema">
        {props.columns.map(c => (
          <ColumnCard key={c.name} column={c} />
        ))}
      </ul>
    </>
  );
}
