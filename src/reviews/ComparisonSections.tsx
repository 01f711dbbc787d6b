/**
 * The candidate's numbers against the champion's: the metrics table (delta coloured by
 * the metric's good direction) with its plotly chart, and the params that differ.
 */
import React from 'react';

import { MetricsSection, ParamChange, ParamsSection } from '../api/client';
import { formatNumber } from '../components/format';
import { PlotlyChart } from '../components/PlotlyChart';

export function MetricsView(props: { section: MetricsSection }): JSX.Element {
  const { section } = props;
  const rows = section.rows ?? [];
  return (
    <div className="jp-mlops-section" data-testid="mlops-review-metrics">
      <h4>Metrics against the champion</h4>
      {section.reason && <p className="jp-mlops-meta">{section.reason}</p>}
      {rows.length > 0 && (
        <table className="jp-mlops-table">
          <thead>
            <tr>
              <th>metric</th>
              <th>candidate</th>
              <th>champion</th>
              <th>Δ</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(row => (
              <tr key={row.name} data-testid="mlops-review-metric">
                <td
                  title={
                    row.greater_is_better
                      ? 'higher is better'
                      : 'lower is better'
                  }
                >
                  {row.name}
                </td>
                <td>{formatNumber(row.candidate)}</td>
                <td>{formatNumber(row.champion)}</td>
                <td
                  className={
                    row.improved === null || row.improved === undefined
                      ? ''
                      : row.improved
                        ? 'jp-mlops-better'
                        : 'jp-mlops-worse'
                  }
                >
                  {row.delta === null || row.delta === undefined
                    ? '—'
                    : `${row.delta > 0 ? '+' : ''}${formatNumber(row.delta)}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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

function ChangeRows(props: {
  label: string;
  changes: ParamChange[];
}): JSX.Element | null {
  if (props.changes.length === 0) {
    return null;
  }
  return (
    <>
      {props.changes.map(change => (
        <tr
          key={`${props.label}-${change.name}`}
          data-testid="mlops-review-param"
        >
          <td>{change.name}</td>
          <td>{change.candidate ?? '—'}</td>
          <td>{change.champion ?? '—'}</td>
          <td>{props.label}</td>
        </tr>
      ))}
    </>
  );
}

export function ParamsView(props: { section: ParamsSection }): JSX.Element {
  const { section } = props;
  const changes =
    (section.changed?.length ?? 0) +
    (section.added?.length ?? 0) +
    (section.removed?.length ?? 0);
  return (
    <div className="jp-mlops-section" data-testid="mlops-review-params">
      <h4>Params</h4>
      {section.reason && <p className="jp-mlops-meta">{section.reason}</p>}
      {changes > 0 ? (
        <table className="jp-mlops-table">
          <thead>
            <tr>
              <th>param</th>
              <th>candidate</th>
              <th>champion</th>
              <th />
            </tr>
          </thead>
          <tbody>
            <ChangeRows label="changed" changes={section.changed ?? []} />
            <ChangeRows label="added" changes={section.added ?? []} />
            <ChangeRows label="removed" changes={section.removed ?? []} />
          </tbody>
        </table>
      ) : (
        <p className="jp-mlops-meta">
          {Object.keys(section.params ?? {}).length} params
          {section.unchanged ? `, ${section.unchanged} as the champion's` : ''}.
        </p>
      )}
      {changes > 0 && section.unchanged ? (
        <p className="jp-mlops-meta">{section.unchanged} unchanged.</p>
      ) : null}
    </div>
  );
}
