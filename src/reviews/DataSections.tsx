/**
 * The data a version was trained on against the champion's (dataset versions and their
 * diffs), and the drift of recent data against it where a monitor watches that data.
 */
import React from 'react';

import {
  DatasetComparison,
  DatasetsSection,
  DriftSection,
  TrainingDataset
} from '../api/client';
import { formatNumber, formatUtc } from '../components/format';
import { IColumn, Table } from '../components/Table';

function diffText(comparison: DatasetComparison): string {
  const diff = comparison.diff;
  if (!diff) {
    return comparison.diff_error ?? '';
  }
  const parts: string[] = [];
  if (diff.rows_a !== null && diff.rows_b !== null) {
    parts.push(`rows ${diff.rows_a} → ${diff.rows_b}`);
  }
  if (diff.columns_added.length) {
    parts.push(`columns added: ${diff.columns_added.join(', ')}`);
  }
  if (diff.columns_removed.length) {
    parts.push(`columns removed: ${diff.columns_removed.join(', ')}`);
  }
  if (diff.columns_retyped.length) {
    parts.push(`${diff.columns_retyped.length} columns retyped`);
  }
  if (diff.stat_shifts.length) {
    parts.push(`${diff.stat_shifts.length} statistics shifted`);
  }
  return parts.join(' · ');
}

function datasetText(dataset: TrainingDataset): string {
  if (dataset.missing) {
    return `${dataset.ref}: ${dataset.missing}`;
  }
  const shape =
    dataset.rows !== null && dataset.rows !== undefined
      ? ` · ${dataset.rows} rows × ${dataset.columns ?? '?'} columns`
      : '';
  return `${dataset.ref} (${dataset.kind ?? '?'})${shape}`;
}

const COMPARISON_COLUMNS: IColumn<DatasetComparison>[] = [
  { head: 'dataset', cell: c => c.name },
  { head: 'candidate', cell: c => c.candidate ?? '—' },
  { head: 'champion', cell: c => c.champion ?? '—' },
  {
    head: 'difference',
    cell: c => (
      <>
        <b>{c.status}</b> {diffText(c)}
      </>
    )
  }
];

export function DatasetsView(props: { section: DatasetsSection }): JSX.Element {
  const { section } = props;
  return (
    <div className="jp-mlops-section" data-testid="mlops-review-datasets">
      <h4>Training data</h4>
      {section.reason && <p className="jp-mlops-meta">{section.reason}</p>}
      {section.comparisons.length > 0 ? (
        <Table
          columns={COMPARISON_COLUMNS}
          rows={section.comparisons}
          rowKey={c => c.name}
          rowAttributes={c => ({
            'data-testid': 'mlops-review-dataset',
            'data-status': c.status
          })}
        />
      ) : (
        <ul className="jp-mlops-plain">
          {section.candidate.map(d => (
            <li key={d.ref} data-testid="mlops-review-dataset">
              {datasetText(d)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function DriftView(props: {
  section: DriftSection;
  onOpenMonitor: (name: string, point: number) => void;
}): JSX.Element {
  const { section } = props;
  return (
    <div className="jp-mlops-section" data-testid="mlops-review-drift">
      <h4>Drift of recent data against the training data</h4>
      {section.reason && <p className="jp-mlops-meta">{section.reason}</p>}
      {section.monitors.map(m => (
        <div
          key={m.monitor}
          className="jp-mlops-drift-summary"
          data-verdict={m.verdict}
        >
          <button
            className="jp-mlops-link"
            title={`Open monitor ${m.monitor} at point ${m.point_id}`}
            onClick={() => props.onOpenMonitor(m.monitor, m.point_id)}
          >
            {m.monitor}
          </button>{' '}
          <b>{m.verdict}</b>: {m.number_of_drifted_columns} of{' '}
          {m.number_of_columns} columns drifted
          {m.share_of_drifted_columns !== null
            ? ` (share ${formatNumber(m.share_of_drifted_columns)})`
            : ''}{' '}
          · {m.reference_dataset} → {m.current_dataset ?? 'a DataFrame'} ·{' '}
          {formatUtc(m.created_at)}
          {m.open_alerts ? ` · ${m.open_alerts} open alerts` : ''}
        </div>
      ))}
    </div>
  );
}
