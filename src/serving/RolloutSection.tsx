/**
 * What runs beside the champion: a rollout with its rules and Promote / Abort, or the
 * buttons that start a shadow or a canary (with its form); above it, a banner when the
 * last rollout was rolled back by its rules, or why the rollout asked for is not running.
 */
import React, { useState } from 'react';

import { EndpointStatus, RolloutMode } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { formatUtc, rolloutText, rulesText, versionText } from './format';
import { ServingModel } from './model';
import { RolloutForm } from './RolloutForm';

function RolledBackBanner(props: {
  status: EndpointStatus;
}): JSX.Element | null {
  const back = props.status.rolled_back;
  if (!back) {
    return null;
  }
  return (
    <div
      className="jp-mlops-serving-rolled-back-banner"
      role="status"
      data-testid="mlops-rolled-back"
    >
      <b>Rolled back {versionText(back.version)}</b> at {formatUtc(back.at)}:{' '}
      {back.reason}
    </div>
  );
}

export function RolloutSection(props: {
  model: ServingModel;
  status: EndpointStatus;
}): JSX.Element {
  const { model, status } = props;
  const [form, setForm] = useState<RolloutMode | null>(null);
  const rollout = status.rollout;
  const busy = model.acting !== null;
  return (
    <div
      className="jp-mlops-serving-rollout-section"
      data-testid="mlops-rollout"
    >
      <RolledBackBanner status={status} />
      <ErrorBox message={status.rollout_error ?? null} />
      {rollout ? (
        <>
          <div data-testid="mlops-rollout-text">{rolloutText(rollout)}</div>
          <div className="jp-mlops-meta" data-testid="mlops-rollout-rules">
            rolled back when: {rulesText(rollout.rules).join(', ')}
            <br />
            started by {rollout.started_by} at {formatUtc(rollout.started_at)}
          </div>
          <div className="jp-mlops-serving-actions">
            <button
              className="jp-mlops-button jp-mod-accept"
              data-testid="mlops-promote"
              disabled={busy || !status.alias}
              title={
                status.alias
                  ? `Move ${status.model}@${status.alias} to ${versionText(rollout.version)}`
                  : 'The endpoint serves a fixed version: promoting needs NAME@ALIAS'
              }
              onClick={() => void model.promote()}
            >
              {model.acting === 'promote' ? 'Promoting…' : 'Promote'}
            </button>
            <button
              className="jp-mlops-button"
              data-testid="mlops-abort"
              disabled={busy}
              onClick={() => void model.abort()}
            >
              {model.acting === 'abort' ? 'Aborting…' : 'Abort'}
            </button>
          </div>
        </>
      ) : form ? (
        <RolloutForm
          model={model}
          mode={form}
          modelName={status.model}
          onDone={() => setForm(null)}
        />
      ) : (
        <div className="jp-mlops-serving-actions">
          {(['shadow', 'canary'] as const).map(mode => (
            <button
              key={mode}
              className="jp-mlops-button"
              data-testid={`mlops-start-${mode}`}
              disabled={busy}
              onClick={() => setForm(mode)}
            >
              Start {mode}…
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
