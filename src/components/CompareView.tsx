/**
 * Runs side by side: metric histories (lines), final metric values (bars), params against
 * the primary metric (parallel coordinates) and the params that differ. Used by the
 * Experiments panel and by the `%mlops compare` output renderer.
 */
import React, { useMemo } from 'react';

import { CompareResponse } from '../api/client';
import { formatNumber, shortId } from './format';
import { PlotlyChart } from './PlotlyChart';

const MAX_LINE_CHARTS = 6;
const MAX_PARCOORDS_PARAMS = 8;

export interface ICompareViewProps {
  data: CompareResponse;
  primaryMetric?: string | null;
}

function runLabel(run: { run_name: string; run_id: string }): string {
  return run.run_name || shortId(run.run_id);
}

export function CompareView({
  data,
  primaryMetric
}: ICompareViewProps): JSX.Element {
  const names = useMemo(
    () => Object.fromEntries(data.runs.map(r => [r.run_id, runLabel(r)])),
    [data]
  );
  const lineMetrics = data.metric_keys
    .filter(key =>
      Object.values(data.metric_history[key] ?? {}).some(h => h.length > 1)
    )
    .slice(0, MAX_LINE_CHARTS);
  const finalMetrics = data.metric_keys;
  const target =
    primaryMetric && data.metric_keys.includes(primaryMetric)
      ? primaryMetric
      : data.metric_keys[0];
  // Only params that differ between the runs and are numbers in all of them.
  const numericParams = data.param_diff
    .map(d => d.key)
    .filter(key =>
      data.runs.every(
        r => r.params[key] !== undefined && !isNaN(Number(r.params[key]))
      )
    )
    .slice(0, MAX_PARCOORDS_PARAMS);
  const parcoords =
    target && numericParams.length > 0
      ? [
          {
            type: 'parcoords',
            line: {
              color: data.runs.map(r => r.metrics[target] ?? 0),
              colorscale: 'Viridis',
              showscale: true
            },
            dimensions: [
              ...numericParams.map(key => ({
                label: key,
                values: data.runs.map(r => Number(r.params[key]))
              })),
              {
                label: target,
                values: data.runs.map(r => r.metrics[target] ?? NaN)
              }
            ]
          }
        ]
      : null;
  return (
    <div className="jp-mlops-compare" data-testid="mlops-compare">
      <div className="jp-mlops-compare-runs">
        Comparing {data.runs.length} runs: {data.runs.map(runLabel).join(', ')}
      </div>
      {finalMetrics.length > 0 && (
        <PlotlyChart
          testId="mlops-compare-metrics"
          data={data.runs.map(r => ({
            type: 'bar',
            name: runLabel(r),
            x: finalMetrics,
            y: finalMetrics.map(k => r.metrics[k] ?? null)
          }))}
          layout={{
            title: { text: 'Metrics' },
            barmode: 'group',
            height: 300,
            xaxis: { automargin: true }
          }}
        />
      )}
      {lineMetrics.map(key => (
        <PlotlyChart
          key={key}
          testId="mlops-compare-history"
          data={Object.entries(data.metric_history[key] ?? {}).map(
            ([runId, points]) => ({
              type: 'scatter',
              mode: 'lines+markers',
              name: names[runId] ?? shortId(runId),
              x: points.map(p => p.step),
              y: points.map(p => p.value)
            })
          )}
          layout={{
            title: { text: key },
            xaxis: { title: { text: 'step' } }
          }}
        />
      ))}
      {parcoords && (
        <PlotlyChart
          testId="mlops-compare-parcoords"
          data={parcoords}
          layout={{
            title: { text: `Params vs ${target}`, y: 0.98, yanchor: 'top' },
            margin: { l: 60, r: 60, t: 80, b: 24 }
          }}
        />
      )}
      <h4>Params that differ</h4>
      {data.param_diff.length === 0 ? (
        <p className="jp-mlops-empty">These runs share all their params.</p>
      ) : (
        <table className="jp-mlops-table" data-testid="mlops-param-diff">
          <thead>
            <tr>
              <th>param</th>
              {data.runs.map(r => (
                <th key={r.run_id}>{runLabel(r)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.param_diff.map(d => (
              <tr key={d.key}>
                <td>{d.key}</td>
                {data.runs.map(r => (
                  <td key={r.run_id} className="jp-mlops-diff-cell">
                    {d.values[r.run_id] ?? '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>Metrics</h4>
      <table className="jp-mlops-table">
        <thead>
          <tr>
            <th>metric</th>
            {data.runs.map(r => (
              <th key={r.run_id}>{runLabel(r)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.metric_keys.map(k => (
            <tr key={k}>
              <td>{k}</td>
              {data.runs.map(r => (
                <td key={r.run_id}>{formatNumber(r.metrics[k])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
