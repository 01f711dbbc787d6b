/**
 * The candidate's numbers against the champion's: the metrics table (delta coloured by
 * the metric's good direction) with its plotly chart, and the params that differ.
 */
import React from 'react';

import {
  MetricRow,
  MetricsSection,
  ParamChange,
  ParamsSection
} from '../api/client';
import { formatNumber } from '../components/format';
import { PlotlyChart } from '../components/PlotlyChart';
import { IColumn, Table } from '../components/Table';

/** A signed difference: `+0.02`, `-1`, `—` when there is none. */
function deltaText(delta: number | null | undefined): string {
  return delta === null || delta === undefined
    ? '—'
    : `${delta > 0 ? '+' : ''}${formatNumber(delta)}`;
}

const METRIC_COLUMNS: IColumn<MetricRow>[] = [
  {
    head: 'metric',
    cell: row => row.name,
    cellAttributes: row => ({
      title: row.greater_is_better ? 'higher is better' : 'lower is better'
    })
  },
  { head: 'candidate', cell: row => formatNumber(row.candidate) },
  { head: 'champion', cell: row => formatNumber(row.champion) },
  {
    head: 'Δ',
    cell: row => deltaText(row.delta),
    cellAttributes: row => ({
      className:
        row.improved === null || row.improved === undefined
          ? ''
          : row.improved
            ? 'jp-mlops-better'
            : 'jp-mlops-worse'
    })
  }
];

/** A param that differs, and how: changed, added or removed. */
type LabelledChange = ParamChange & { label: string };

const PARAM_COLUMNS: IColumn<LabelledChange>[] = [
  { head: 'param', cell: change => change.name },
  { head: 'candidate', cell: change => change.candidate ?? '—' },
  { head: 'champion', cell: change => change.champion ?? '—' },
  { head: '', key: 'label', cell: change => change.label }
];

export function MetricsView(props: { section: MetricsSection }): JSX.Element {
  const { section } = props;
  const rows = section.rows ?? [];
  return (
    <div className="jp-mlops-section" data-testid="mlops-review-metrics">
      <h4>Metrics against the champion</h4>
      {section.reason && <p className="jp-mlops-meta">{section.reason}</p>}
      {rows.length > 0 && (
        <Table
          columns={METRIC_COLUMNS}
          rows={rows}
          rowKey={row => row.name}
          rowAttributes={() => ({ 'data-testid': 'mlops-review-metric' })}
        />
      )}
      {section.figure && (
        <PlotlyChart
          data={(section.figure as { data?: any[] }).data ?? []}
          layout={(section.figure as { layout?: Record<string, any> }).layout}
          testId="mlops-review-metrics-chart"
        />
      )}
    </div>
  );
}

export function ParamsView(props: { section: ParamsSection }): JSX.Element {
  const { section } = props;
  const changes: LabelledChange[] = (
    ['changed', 'added', 'removed'] as const
  ).flatMap(label => (section[label] ?? []).map(c => ({ ...c, label })));
  return (
    <div className="jp-mlops-section" data-testid="mlops-review-params">
      <h4>Params</h4>
      {section.reason && <p className="jp-mlops-meta">{section.reason}</p>}
      {changes.length > 0 ? (
        <Table
          columns={PARAM_COLUMNS}
          rows={changes}
          rowKey={c => `${c.label}-${c.name}`}
          rowAttributes={() => ({ 'data-testid': 'mlops-review-param' })}
        />
      ) : (
        <p className="jp-mlops-meta">
          {Object.keys(section.params ?? {}).length} params
          {section.unchanged ? `, ${section.unchanged} as the champion's` : ''}.
        </p>
      )}
      {changes.length > 0 && section.unchanged ? (
        <p className="jp-mlops-meta">{section.unchanged} unchanged.</p>
      ) : null}
    </div>
  );
}
