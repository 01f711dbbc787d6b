/**
 * One run: status, params, metrics with their history, the dataset versions it consumed
 * or produced, the feature service and views it was trained on, tags, artifacts, the
 * tracked cell, a way back to the notebook it came from and a way to register the model
 * it logged.
 */
import React from 'react';

import { RunDetail } from '../api/client';
import { formatNumber, formatTime } from '../components/format';
import { PlotlyChart } from '../components/PlotlyChart';
import { IColumn, Table } from '../components/Table';
import { RunDatasets } from '../datasets/RunDatasets';
import { RunFeatures } from '../features/RunFeatures';
import type { IRunLinks } from './ExperimentsView';

export interface IRunDetailProps {
  detail: RunDetail;
  links: IRunLinks;
}

const KEY_VALUE_COLUMNS: IColumn<[string, string]>[] = [
  { cell: ([k]) => k },
  { cell: ([, v]) => v }
];

function KeyValues(props: {
  title: string;
  values: Record<string, string>;
}): JSX.Element {
  const entries = Object.entries(props.values).sort(([a], [b]) =>
    a.localeCompare(b)
  );
  return (
    <>
      <h4>{props.title}</h4>
      {entries.length === 0 ? (
        <p className="jp-mlops-empty">None.</p>
      ) : (
        <Table
          className="jp-mlops-kv"
          columns={KEY_VALUE_COLUMNS}
          rows={entries}
          rowKey={([k]) => k}
        />
      )}
    </>
  );
}

export function RunDetailView({ detail, links }: IRunDetailProps): JSX.Element {
  const run = detail.run;
  const histories = Object.entries(detail.metric_history).filter(
    ([, h]) => h.length > 1
  );
  const metrics = Object.fromEntries(
    Object.entries(run.metrics).map(([k, v]) => [k, formatNumber(v)])
  );
  return (
    <div className="jp-mlops-detail" data-testid="mlops-run-detail">
      <h3>
        {run.run_name}{' '}
        <span className={`jp-mlops-status jp-mlops-status-${run.status}`}>
          {run.status}
        </span>
      </h3>
      <div className="jp-mlops-meta">
        <div className="jp-mlops-run-id">run id: {run.run_id}</div>
        {run.source_notebook && <div>notebook: {run.source_notebook}</div>}
        <div>
          started {formatTime(run.start_time)}, ended {formatTime(run.end_time)}
        </div>
        {run.source_notebook && (
          <button
            className="jp-mlops-button jp-mod-accept"
            data-testid="mlops-open-notebook"
            title={`${run.source_notebook}, with the comments of this run's model reviews`}
            onClick={() =>
              links.openNotebook(run.source_notebook as string, run.run_id)
            }
          >
            Open source notebook
          </button>
        )}
        <button
          className="jp-mlops-button"
          data-testid="mlops-register-model"
          title="Register the model this run logged as a new model version"
          onClick={() => links.registerModel(run.run_id, run.run_name)}
        >
          Register model…
        </button>
      </div>
      <KeyValues title="Metrics" values={metrics} />
      {histories.map(([key, points]) => (
        <PlotlyChart
          key={key}
          height={200}
          data={[
            {
              type: 'scatter',
              mode: 'lines',
              name: key,
              x: points.map(p => p.step),
              y: points.map(p => p.value)
            }
          ]}
          layout={{ title: { text: key } }}
        />
      ))}
      <KeyValues title="Params" values={run.params} />
      <h4>Datasets</h4>
      <RunDatasets datasets={detail.datasets} onOpen={links.openDataset} />
      <h4>Features</h4>
      <RunFeatures
        tags={detail.tags}
        onOpenFeature={links.openFeature}
        onOpenDataset={links.openDataset}
      />
      {detail.cell_source && (
        <>
          <h4>Tracked cell</h4>
          <pre className="jp-mlops-source" data-testid="mlops-cell-source">
            {detail.cell_source}
          </pre>
        </>
      )}
      <h4>Artifacts</h4>
      <ul className="jp-mlops-artifacts">
        {detail.artifacts.map(a => (
          <li key={a.path}>
            {a.path}
            {a.is_dir ? '/' : ''}
          </li>
        ))}
      </ul>
      <KeyValues title="Tags" values={detail.tags} />
    </div>
  );
}
