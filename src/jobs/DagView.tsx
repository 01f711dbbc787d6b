/**
 * A run's DAG: its steps as boxes in columns by depth (see layerSteps), each with its
 * state in colour and words, what it waits for, and Open output / Log once it ran.
 */
import React from 'react';

import { StepRun, StepSpec } from '../api/client';
import { layerSteps, upstreamOf } from './dag';
import { durationText } from './format';
import { StatusBadge } from './StatusBadges';

export interface IDagViewProps {
  /** The steps as the run's version defines them (null while loading: no edges). */
  specs: StepSpec[] | null;
  steps: StepRun[];
  logStep: string | null;
  onOpenOutput: (step: string) => void;
  onShowLog: (step: string) => void;
}

function StepBox(props: {
  step: StepRun;
  waitsFor: string[];
  selected: boolean;
  onOpenOutput: (step: string) => void;
  onShowLog: (step: string) => void;
}): JSX.Element {
  const { step } = props;
  const ran = step.status !== 'pending' && step.status !== 'skipped';
  return (
    <div
      className={`jp-mlops-dag-step jp-mlops-job-${step.status}${props.selected ? ' jp-mod-selected' : ''}`}
      data-testid="mlops-dag-step"
      data-step={step.name}
      data-status={step.status}
    >
      <div className="jp-mlops-dag-step-name">{step.name}</div>
      <StatusBadge status={step.status} />
      <div className="jp-mlops-count">
        {durationText(step.started_at, step.finished_at)}
        {step.attempt > 1 && ` · attempt ${step.attempt}`}
      </div>
      {props.waitsFor.length > 0 && (
        <div className="jp-mlops-count">after {props.waitsFor.join(', ')}</div>
      )}
      {Object.keys(step.outputs).length > 0 && (
        <div
          className="jp-mlops-dag-outputs"
          data-testid="mlops-step-outputs"
          title="Values published with mlops.output"
        >
          {Object.entries(step.outputs)
            .map(([name, value]) => `${name} = ${JSON.stringify(value)}`)
            .join(', ')}
        </div>
      )}
      {step.error && (
        <div
          className={
            step.status === 'failed' || step.status === 'timed_out'
              ? 'jp-mlops-dag-error'
              : 'jp-mlops-dag-note'
          }
          title={
            step.failed_cell !== null
              ? `${step.error} (cell index ${step.failed_cell} of the executed notebook)`
              : step.error
          }
        >
          {step.error}
        </div>
      )}
      {ran && (
        <div>
          <button
            className="jp-mlops-button"
            data-testid="mlops-step-output"
            onClick={() => props.onOpenOutput(step.name)}
          >
            Open output
          </button>
          <button
            className="jp-mlops-button"
            data-testid="mlops-step-log"
            onClick={() => props.onShowLog(step.name)}
          >
            Log
          </button>
        </div>
      )}
    </div>
  );
}

export function DagView(props: IDagViewProps): JSX.Element {
  const byName = new Map(props.steps.map(s => [s.name, s]));
  const specs =
    props.specs ??
    props.steps.map(s => ({ name: s.name, depends_on: [], inputs: {} }));
  const known = new Set(specs.map(s => s.name));
  const waits = new Map(specs.map(s => [s.name, upstreamOf(s, known)]));
  const { layers } = layerSteps(specs);
  return (
    <div className="jp-mlops-dag" data-testid="mlops-dag">
      {layers.map((layer, depth) => (
        <React.Fragment key={depth}>
          {depth > 0 && (
            <div className="jp-mlops-dag-arrow" aria-hidden="true">
              →
            </div>
          )}
          <div className="jp-mlops-dag-layer" data-testid="mlops-dag-layer">
            {layer.map(name => {
              const step = byName.get(name);
              return step ? (
                <StepBox
                  key={name}
                  step={step}
                  waitsFor={waits.get(name) ?? []}
                  selected={props.logStep === name}
                  onOpenOutput={props.onOpenOutput}
                  onShowLog={props.onShowLog}
                />
              ) : null;
            })}
          </div>
        </React.Fragment>
      ))}
    </div>
  );
}
