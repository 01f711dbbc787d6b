/**
 * Runs side by side: metric histories (lines), final metric values (bars), params against
 * the primary metric (parallel coordinates) and the params that differ. Used by the
 * Experiments panel and by the `%mlops compare` output renderer.
 */
import React, { useMemo } from 'react';

import { CompareResponse } from '../api/client';
import { formatNumber, shortId } from './format';
import { PlotlyChart } from './PlotlyChart';
import { IColumn, Table } from './Table';

const MAX_LINE_CHARTS = 6;
const MAX_PARCOORDS_PARAMS = 8;

export interface ICompareViewProps {
  data: CompareResponse;
  primaryMetric?: string | null;
}

type CompareRun = CompareResponse['runs'][number];

function runLabel(run: { run_name: string; run_id: string }): string {
  return run.run_name || shortId(run.run_id);
}

/** The parallel coordinates of the numeric params that differ against `target`. */
function parcoordsOf(
  data: CompareResponse,
  target: string | undefined
): any[] | null {
  // Only params that differ between the runs and are numbers in all of them.
  const numericParams = data.param_diff
    .map(d => d.key)
    .filter(key =>
      data.runs.every(
        r => r.params[key] !== undefined && !isNaN(Number(r.params[key]))
      )
    )
    .slice(0, MAX_PARCOORDS_PARAMS);
  if (!target || numericParams.length === 0) {
    return null;
  }
  return [
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
  ];
}

/** A table of one row a key, one column a run after the key's. */
function RunsByKey(props: {
  data: CompareResponse;
  keyHead: string;
  keys: string[];
  value: (key: string, run: CompareRun) => React.ReactNode;
  cellClass?: string;
  testId?: string;
}): JSX.Element {
  const { data } = props;
  const columns: IColumn<string>[] = [
    { head: props.keyHead, key: '', cell: key => key },
    ...data.runs.map((run): IColumn<string> => ({
      head: runLabel(run),
      key: run.run_id,
      className: props.cellClass,
      cell: key => props.value(key, run)
    }))
  ];
  return (
    <Table
      testId={props.testId}
      columns={columns}
      rows={props.keys}
      rowKey={key => key}
    />
  );
}

/** The final value of every metric, a group of bars a run. */
function FinalMetrics(props: { data: CompareResponse }): JSX.Element | null {
  const { data } = props;
  const finalMetrics = data.metric_keys;
  if (finalMetrics.length === 0) {
    return null;
  }
  return (
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
  );
}

/** One line chart a metric logged more than once, a line a run. */
function MetricHistories(props: { data: CompareResponse }): JSX.Element {
  const { data } = props;
  const names = useMemo(
    () => Object.fromEntries(data.runs.map(r => [r.run_id, runLabel(r)])),
    [data]
  );
  const lineMetrics = data.metric_keys
    .filter(key =>
      Object.values(data.metric_history[key] ?? {}).some(h => h.length > 1)
    )
    .slice(0, MAX_LINE_CHARTS);
  return (
    <>
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
    </>
  );
}

export function CompareView({
  data,
  primaryMetric
}: ICompareViewProps): JSX.Element {
  const target =
    primaryMetric && data.metric_keys.includes(primaryMetric)
      ? primaryMetric
      : data.metric_keys[0];
  const parcoords = parcoordsOf(data, target);
  return (
    <div className="jp-mlops-compare" data-testid="mlops-compare">
      <div className="jp-mlops-compare-runs">
        Comparing {data.runs.length} runs: {data.runs.map(runLabel).join(', ')}
      </div>
      <FinalMetrics data={data} />
      <MetricHistories data={data} />
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
        <RunsByKey
          data={data}
          keyHead="param"
          keys={data.param_diff.map(d => d.key)}
          value={(key, run) =>
            data.param_diff.find(d => d.key === key)?.values[run.run_id] ?? '—'
          }
          cellClass="jp-mlops-diff-cell"
          testId="mlops-param-diff"
        />
      )}
      <h4>Metrics</h4>
      <RunsByKey
        data={data}
        keyHead="metric"
        keys={data.metric_keys}
        value={(key, run) => formatNumber(run.metrics[key])}
      />
    </div>
  );
}
