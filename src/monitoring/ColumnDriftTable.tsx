/**
 * A check's per-column report: test, score, threshold, verdict and why (drifted rows
 * marked), and its model-quality table. Shared by the panel and the drift output.
 */
import React from 'react';

import { ColumnDrift, ModelQuality } from '../api/client';
import { formatNumber } from '../components/format';
import { IColumn, Table } from '../components/Table';
import { columnVerdict, formatThreshold } from './format';

const NUMBER = 'jp-mlops-number';

const DRIFT_COLUMNS: IColumn<ColumnDrift>[] = [
  {
    head: 'column',
    cell: c => c.column,
    cellAttributes: c => ({ title: c.kind ?? 'missing from one side' })
  },
  { head: 'test', cell: c => c.test_label ?? '—' },
  { head: 'score', cell: c => formatNumber(c.score), className: NUMBER },
  {
    head: 'threshold',
    cell: c => formatThreshold(c.threshold),
    className: NUMBER
  },
  { head: 'drifted', cell: columnVerdict },
  {
    head: 'message',
    cell: c => c.message,
    className: 'jp-mlops-message',
    cellAttributes: c => ({ title: c.message })
  }
];

export function ColumnDriftTable(props: {
  columns: ColumnDrift[];
}): JSX.Element {
  return (
    <Table
      scroll
      testId="mlops-column-drift"
      columns={DRIFT_COLUMNS}
      rows={props.columns}
      rowKey={c => c.column}
      rowAttributes={c => ({
        'data-testid': 'mlops-column-drift-row',
        'data-drifted': String(c.drifted),
        className: c.drifted ? 'jp-mlops-drifted' : ''
      })}
    />
  );
}

type QualityMetric = ModelQuality['metrics'][number];

/** How much a metric moved, and whether that is for the worse. */
function change(m: QualityMetric): { delta: number | null; worse: boolean } {
  const delta =
    m.reference === null || m.current === null ? null : m.current - m.reference;
  return {
    delta,
    worse: delta !== null && delta !== 0 && delta > 0 !== m.greater_is_better
  };
}

const QUALITY_COLUMNS: IColumn<QualityMetric>[] = [
  { head: 'metric', cell: m => m.name },
  {
    head: 'reference',
    cell: m => formatNumber(m.reference),
    className: NUMBER
  },
  { head: 'current', cell: m => formatNumber(m.current), className: NUMBER },
  {
    head: 'change',
    cell: m => {
      const { delta } = change(m);
      return delta === null
        ? '—'
        : `${delta > 0 ? '+' : ''}${formatNumber(delta)}`;
    },
    cellAttributes: m => ({
      className: `${NUMBER} ${change(m).worse ? 'jp-mlops-worse' : ''}`
    })
  }
];

export function QualityTable(props: { quality: ModelQuality }): JSX.Element {
  const q = props.quality;
  return (
    <div data-testid="mlops-quality">
      <div className="jp-mlops-meta">
        model quality ({q.task}, {q.target} vs {q.prediction.join(', ')}):{' '}
        {q.reference_rows} reference rows, {q.current_rows} current rows
      </div>
      <Table columns={QUALITY_COLUMNS} rows={q.metrics} rowKey={m => m.name} />
      {q.notes.map(note => (
        <div key={note} className="jp-mlops-meta">
          {note}
        </div>
      ))}
    </div>
  );
}
