/**
 * The diff of two versions: pick A and B and the key columns (default: the manifest's
 * key), then see columns added / removed / retyped, row counts, rows added / removed /
 * changed by key, and how each column statistic moved.
 */
import React from 'react';

import { DatasetDiff, DatasetVersion, StatShift } from '../api/client';
import { formatNumber } from '../components/format';
import { IColumn, Table } from '../components/Table';
import { ref } from './model';

export interface IDiffViewProps {
  versions: DatasetVersion[];
  a: string;
  b: string;
  keyText: string;
  diff: DatasetDiff | null;
  onVersions: (a: string, b: string) => void;
  onKey: (key: string) => void;
  onRun: () => void;
}

function VersionSelect(props: {
  label: string;
  value: string;
  versions: DatasetVersion[];
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <label className="jp-mlops-field">
      {props.label}
      <select
        data-testid={`mlops-diff-${props.label.toLowerCase()}`}
        value={props.value}
        onChange={e => props.onChange(e.target.value)}
      >
        {props.versions.map(v => (
          <option key={v.version} value={ref(v)}>
            {ref(v)}
            {v.tags.length > 0 ? ` (${v.tags.join(', ')})` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

function Count(props: { label: string; value: number | null; testId: string }) {
  return (
    <div className="jp-mlops-diff-count" data-testid={props.testId}>
      <strong>{props.value ?? '—'}</strong> <span>{props.label}</span>
    </div>
  );
}

const SHIFT_COLUMNS: IColumn<StatShift>[] = [
  {
    head: 'column',
    cell: s => s.column,
    cellAttributes: s => ({ title: s.column })
  },
  { head: 'stat', cell: s => s.stat },
  {
    head: 'before',
    className: 'jp-mlops-number',
    cell: s => formatNumber(s.before)
  },
  {
    head: 'after',
    className: 'jp-mlops-number',
    cell: s => formatNumber(s.after)
  }
];

/** The columns added, removed and retyped. */
function SchemaChanges({ diff }: { diff: DatasetDiff }): JSX.Element {
  if (
    diff.columns_added.length === 0 &&
    diff.columns_removed.length === 0 &&
    diff.columns_retyped.length === 0
  ) {
    return <p className="jp-mlops-empty">Same columns and types.</p>;
  }
  return (
    <ul className="jp-mlops-diff-columns" data-testid="mlops-diff-columns">
      {diff.columns_added.map(c => (
        <li key={`+${c}`} className="jp-mlops-better">
          + {c}
        </li>
      ))}
      {diff.columns_removed.map(c => (
        <li key={`-${c}`} className="jp-mlops-worse">
          − {c}
        </li>
      ))}
      {diff.columns_retyped.map(r => (
        <li key={`~${r.column}`}>
          ~ {r.column}: {r.before} → {r.after}
        </li>
      ))}
    </ul>
  );
}

function DiffResult({ diff }: { diff: DatasetDiff }): JSX.Element {
  return (
    <div className="jp-mlops-diff" data-testid="mlops-diff-result">
      <h4>
        {diff.a} → {diff.b}
      </h4>
      <div data-testid="mlops-diff-rows">
        rows: {diff.rows_a ?? '—'} → {diff.rows_b ?? '—'}
      </div>
      {diff.key ? (
        <>
          <div className="jp-mlops-meta">
            rows matched by {diff.key.join(', ')}
          </div>
          <div className="jp-mlops-diff-counts">
            <Count
              label="added"
              value={diff.rows_added}
              testId="mlops-diff-added"
            />
            <Count
              label="removed"
              value={diff.rows_removed}
              testId="mlops-diff-removed"
            />
            <Count
              label="changed"
              value={diff.rows_changed}
              testId="mlops-diff-changed"
            />
          </div>
        </>
      ) : (
        <p className="jp-mlops-empty">
          Give key columns to count the rows added, removed and changed.
        </p>
      )}
      <h4>Columns</h4>
      <SchemaChanges diff={diff} />
      <h4>Statistic shifts</h4>
      {diff.stat_shifts.length === 0 ? (
        <p className="jp-mlops-empty">No statistic moved.</p>
      ) : (
        <Table
          testId="mlops-diff-shifts"
          columns={SHIFT_COLUMNS}
          rows={diff.stat_shifts}
          rowKey={s => `${s.column}.${s.stat}`}
        />
      )}
    </div>
  );
}

export function DiffView(props: IDiffViewProps): JSX.Element {
  if (props.versions.length < 2) {
    return (
      <p className="jp-mlops-empty" data-testid="mlops-diff-one-version">
        Only one version so far: save a changed DataFrame with{' '}
        <code>%dataset save NAME df</code> to compare two versions.
      </p>
    );
  }
  return (
    <div className="jp-mlops-diff-view">
      <div className="jp-mlops-form">
        <VersionSelect
          label="A"
          value={props.a}
          versions={props.versions}
          onChange={a => props.onVersions(a, props.b)}
        />
        <VersionSelect
          label="B"
          value={props.b}
          versions={props.versions}
          onChange={b => props.onVersions(props.a, b)}
        />
        <label className="jp-mlops-field jp-mlops-field-wide">
          key
          <input
            className="jp-mlops-filter"
            data-testid="mlops-diff-key"
            placeholder="columns that identify a row, e.g. id"
            value={props.keyText}
            onChange={e => props.onKey(e.target.value)}
            onKeyDown={e => e.key === 'Enter' && props.onRun()}
          />
        </label>
        <button
          className="jp-mlops-button jp-mod-accept"
          data-testid="mlops-diff-run"
          onClick={props.onRun}
        >
          Compare
        </button>
      </div>
      {props.diff && <DiffResult diff={props.diff} />}
    </div>
  );
}
