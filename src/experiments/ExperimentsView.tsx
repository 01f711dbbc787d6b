/**
 * The Experiments panel's React tree: experiments list, then runs / run detail / compare.
 */
import React from 'react';

import { PanelLoading } from '../components/Messages';

import { ErrorBox } from '../components/ErrorBox';
import { ExperimentsModel } from './model';
import { RunDetailView } from './RunDetailView';
import { RunsTable } from './RunsTable';

/**
 * Where a run's links lead: its source notebook (with its reviews' comments), its
 * dataset versions, the feature service and views it was trained on, and registering
 * its model.
 */
export interface IRunLinks {
  openNotebook: (path: string, runId: string) => void;
  openDataset: (name: string, version: string) => void;
  openFeature: (kind: 'view' | 'service', name: string) => void;
  registerModel: (runId: string, runName: string) => void;
}

export interface IExperimentsViewProps {
  model: ExperimentsModel;
  links: IRunLinks;
}

function EmptyWorkspace(): JSX.Element {
  return (
    <div className="jp-mlops-empty" data-testid="mlops-no-experiments">
      <p>No experiments yet.</p>
      <p>
        In a notebook, run <code>%load_ext jupyter_mlops</code>, then a cell
        starting with <code>%%track</code>. Its run appears here by itself.
      </p>
    </div>
  );
}

export function ExperimentsView({
  model,
  links
}: IExperimentsViewProps): JSX.Element {
  if (!model.loaded) {
    return <PanelLoading error={model.error} />;
  }
  if (model.experiments.length === 0) {
    return (
      <div className="jp-mlops-panel-body">
        <ErrorBox message={model.error} />
        <EmptyWorkspace />
      </div>
    );
  }
  const experiment = model.experiment;
  const back = (
    <button
      className="jp-mlops-button"
      data-testid="mlops-back"
      onClick={() => void model.back()}
    >
      ‹ Back to runs
    </button>
  );
  return (
    <div className="jp-mlops-panel-body">
      <ul className="jp-mlops-experiments" data-testid="mlops-experiments">
        {model.experiments.map(e => (
          <li
            key={e.experiment_id}
            data-testid="mlops-experiment"
            className={
              e.experiment_id === model.experimentId ? 'jp-mod-selected' : ''
            }
            onClick={() => void model.selectExperiment(e.experiment_id)}
          >
            <span className="jp-mlops-experiment-name">{e.name}</span>
            <span className="jp-mlops-count">{e.run_count}</span>
          </li>
        ))}
      </ul>
      <ErrorBox message={model.error} />
      {model.view === 'detail' && model.detail && (
        <>
          {back}
          <RunDetailView detail={model.detail} links={links} />
        </>
      )}
      {model.view === 'runs' && model.runs && (
        <RunsTable
          runs={model.runs}
          sort={model.sort}
          filter={model.filter}
          selection={model.selection}
          primaryMetric={experiment?.primary_metric}
          onSort={(kind, key) => void model.sortBy(kind, key)}
          onFilter={filter => void model.setFilter(filter)}
          onPage={page => void model.goToPage(page)}
          onToggle={runId => model.toggleSelected(runId)}
          onOpen={runId => void model.openRun(runId)}
          onCompare={() => void model.compare()}
        />
      )}
    </div>
  );
}
