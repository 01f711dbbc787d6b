/**
 * Registered models (MLflow's registry) with their versions, each version's aliases and
 * the run it came from, and a way to request a version's review.
 */
import React from 'react';

import { ModelVersionInfo, RegisteredModel } from '../api/client';
import { shortId } from '../components/format';

export function ModelList(props: {
  models: RegisteredModel[];
  onRequestReview: (version: ModelVersionInfo) => void;
  onOpenRun: (runId: string) => void;
}): JSX.Element {
  if (props.models.length === 0) {
    return (
      <p className="jp-mlops-empty" data-testid="mlops-no-models">
        No registered model yet. Register one from a tracked run:{' '}
        <b>Register model…</b> in the run&apos;s detail (Experiments panel), or{' '}
        <code>%mlops register RUN --name NAME</code>.
      </p>
    );
  }
  return (
    <ul className="jp-mlops-models" data-testid="mlops-model-list">
      {props.models.map(model => (
        <li key={model.name} data-testid="mlops-model" data-model={model.name}>
          <div className="jp-mlops-list-name">{model.name}</div>
          <ul className="jp-mlops-model-versions">
            {model.versions.map(version => (
              <li
                key={version.version}
                data-testid="mlops-model-version"
                data-version={version.version}
              >
                <span>v{version.version}</span>
                {version.aliases.map(alias => (
                  <span
                    key={alias}
                    className="jp-mlops-badge jp-mlops-alias"
                    data-testid="mlops-model-alias"
                    title={`MLflow alias ${model.name}@${alias}`}
                  >
                    @{alias}
                  </span>
                ))}
                {version.run_id && (
                  <button
                    className="jp-mlops-link"
                    title="Show the run this version was registered from"
                    onClick={() => props.onOpenRun(version.run_id as string)}
                  >
                    run {shortId(version.run_id)}
                  </button>
                )}
                <button
                  className="jp-mlops-button"
                  data-testid="mlops-model-request-review"
                  title={`Request a review of ${model.name} v${version.version}`}
                  onClick={() => props.onRequestReview(version)}
                >
                  Request review
                </button>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
