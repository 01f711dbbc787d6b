/**
 * A job's stages: the version each runs, its schedule and next fire in the stage's own
 * timezone, pause/resume, run now, promote to the next stage, and rollback.
 */
import React from 'react';

import { Stage, StageState } from '../api/client';
import { nextFireText, nextStage } from './format';

export interface IStagesViewProps {
  stages: StageState[];
  onRunNow: (stage: Stage) => void;
  onPause: (stage: Stage, paused: boolean) => void;
  onSchedule: (stage: Stage) => void;
  onPromote: (to: Stage) => void;
  onRollback: (stage: Stage) => void;
}

function StageRow(
  props: IStagesViewProps & { state: StageState }
): JSX.Element {
  const { state } = props;
  const deployed = state.version !== null;
  const to = nextStage(state.stage);
  return (
    <li
      className="jp-mlops-job-stage"
      data-testid="mlops-job-stage"
      data-stage={state.stage}
    >
      <div className="jp-mlops-alert-head">
        <span
          className={`jp-mlops-badge jp-mlops-stage jp-mlops-stage-${state.stage}`}
        >
          {state.stage}
        </span>
        <b data-testid="mlops-stage-version">
          {deployed ? `v${state.version}` : 'no version'}
        </b>
        {state.paused && (
          <span className="jp-mlops-badge jp-mlops-badge-none">paused</span>
        )}
      </div>
      {deployed && (
        <div className="jp-mlops-meta">
          <div data-testid="mlops-stage-schedule">
            schedule:{' '}
            {state.cron ? (
              <>
                <code>{state.cron}</code> in {state.timezone}
              </>
            ) : (
              'manual'
            )}
          </div>
          {state.cron && (
            <div data-testid="mlops-stage-next">
              next run: {nextFireText(state)}
            </div>
          )}
          {Object.keys(state.parameters).length > 0 && (
            <div>parameters: {JSON.stringify(state.parameters)}</div>
          )}
        </div>
      )}
      {deployed && (
        <div className="jp-mlops-alert-foot">
          <button
            className="jp-mlops-button jp-mod-accept"
            data-testid="mlops-run-now"
            onClick={() => props.onRunNow(state.stage)}
          >
            ▶ Run now
          </button>
          {state.cron && (
            <button
              className="jp-mlops-button"
              data-testid="mlops-stage-pause"
              onClick={() => props.onPause(state.stage, !state.paused)}
            >
              {state.paused ? 'Resume schedule' : 'Pause schedule'}
            </button>
          )}
          <button
            className="jp-mlops-button"
            data-testid="mlops-stage-schedule-edit"
            title={`Change the schedule and the parameter overrides of ${state.stage}`}
            onClick={() => props.onSchedule(state.stage)}
          >
            Schedule…
          </button>
          {to && (
            <button
              className="jp-mlops-button"
              data-testid="mlops-promote"
              onClick={() => props.onPromote(to)}
            >
              Promote to {to}…
            </button>
          )}
          {state.stage !== 'dev' && (
            <button
              className="jp-mlops-button"
              data-testid="mlops-rollback"
              onClick={() => props.onRollback(state.stage)}
            >
              Rollback…
            </button>
          )}
        </div>
      )}
    </li>
  );
}

export function StagesView(props: IStagesViewProps): JSX.Element {
  return (
    <ul className="jp-mlops-job-stages" data-testid="mlops-job-stages">
      {props.stages.map(state => (
        <StageRow key={state.stage} {...props} state={state} />
      ))}
    </ul>
  );
}
