/**
 * One run: status, times, trigger and attempt, its error, the DAG of its steps, and the
 * tail of a step's log (or the worker's), polled while the run is active.
 */
import React from 'react';

import { JobRun, StepSpec } from '../api/client';
import { formatUtc } from '../components/format';
import { DagView } from './DagView';
import { durationText, isActive, isFailure } from './format';
import { StatusBadge } from './StatusBadges';

export interface IRunViewProps {
  run: JobRun;
  specs: StepSpec[] | null;
  logStep: string | null;
  log: string | null;
  onBack: () => void;
  onCancel: (runId: number) => void;
  onOpenOutput: (step: string) => void;
  onShowLog: (step: string | null) => void;
}

export function RunView(props: IRunViewProps): JSX.Element {
  const { run } = props;
  const active = isActive(run.status);
  return (
    <div className="jp-mlops-job-run" data-testid="mlops-job-run-detail">
      <button
        className="jp-mlops-button"
        data-testid="mlops-back"
        onClick={props.onBack}
      >
        ‹ Back to the runs
      </button>
      <h4 className="jp-mlops-alert-head">
        Run {run.id}
        <StatusBadge status={run.status} />
        {active && !run.cancel_requested && (
          <button
            className="jp-mlops-button"
            data-testid="mlops-run-cancel"
            onClick={() => props.onCancel(run.id)}
          >
            Cancel
          </button>
        )}
        {run.cancel_requested && active && (
          <span className="jp-mlops-count">cancelling…</span>
        )}
      </h4>
      <div className="jp-mlops-meta">
        <div>
          {run.stage} v{run.version} · {run.trigger}
          {run.trigger === 'manual' && ` by ${run.created_by}`} · attempt{' '}
          {run.attempt} of {run.max_attempts}
        </div>
        {run.status === 'queued' && run.attempt > 1 && (
          <div data-testid="mlops-run-retry">
            attempt {run.attempt} starts after {formatUtc(run.not_before)}
          </div>
        )}
        {run.scheduled_for && (
          <div>scheduled for {formatUtc(run.scheduled_for)}</div>
        )}
        <div>
          started {formatUtc(run.started_at)} · finished{' '}
          {formatUtc(run.finished_at)} · took{' '}
          {durationText(run.started_at, run.finished_at)}
        </div>
        {Object.keys(run.parameters).length > 0 && (
          <div>parameters: {JSON.stringify(run.parameters)}</div>
        )}
        {run.mlflow_run_ids.length > 0 && (
          <div>MLflow runs: {run.mlflow_run_ids.join(', ')}</div>
        )}
      </div>
      {run.error && (
        <div
          className={
            isFailure(run) ? 'jp-mlops-error' : 'jp-mlops-job-run-note'
          }
          data-testid="mlops-run-error"
        >
          {run.error}
        </div>
      )}
      <DagView
        specs={props.specs}
        steps={run.steps}
        logStep={props.logStep}
        onOpenOutput={props.onOpenOutput}
        onShowLog={props.onShowLog}
      />
      <div className="jp-mlops-alert-head">
        <b>Log of {props.logStep ?? 'the worker'}</b>
        {props.logStep !== null && (
          <button
            className="jp-mlops-button"
            data-testid="mlops-worker-log"
            onClick={() => props.onShowLog(null)}
          >
            Worker log
          </button>
        )}
        {active && <span className="jp-mlops-count">following…</span>}
      </div>
      <pre
        className="jp-mlops-source jp-mlops-job-log"
        data-testid="mlops-job-log"
      >
        {props.log === null ? 'Loading…' : props.log || 'No output yet.'}
      </pre>
    </div>
  );
}
