/**
 * "Register model…" of a run's detail: the model the run logged becomes a new version of
 * a registered model (a new model when the name is new). The dialog asks for the model's
 * name (suggesting the registered ones) and, optionally, the run's artifact path of the
 * model when the run logged more than one. The server's refusal stays in the dialog.
 */
import React, { useEffect, useState } from 'react';

import { api, ModelVersionInfo } from '../api/client';
import { showActionDialog } from '../components/ActionDialog';
import { DialogSubmit } from '../components/DialogSubmit';
import { shortId } from '../components/format';
import { useSubmit } from '../components/useSubmit';

export interface IRegisterModelOptions {
  /** The MLflow run whose model is registered. */
  runId: string;
  /** The run's name, shown for context. */
  runName?: string;
}

function RegisterModel(
  props: IRegisterModelOptions & { done: (version: ModelVersionInfo) => void }
): JSX.Element {
  const [name, setName] = useState('');
  const [artifactPath, setArtifactPath] = useState('');
  const [known, setKnown] = useState<string[]>([]);
  const submit = useSubmit(async () =>
    props.done(
      await api.models.register({
        run_id: props.runId,
        name: name.trim(),
        artifact_path: artifactPath.trim() || null
      })
    )
  );
  useEffect(() => {
    let live = true;
    // Only suggestions: the dialog works without them.
    api.models.list().then(
      found => live && setKnown(found.models.map(m => m.name)),
      () => undefined
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <div
      className="jp-mlops-dialog jp-mlops-register-model"
      data-testid="mlops-register-model-form"
    >
      <div className="jp-mlops-count">
        run {props.runName ? `${props.runName} ` : ''}({shortId(props.runId)})
      </div>
      <div className="jp-mlops-form-row">
        <label htmlFor="mlops-register-model-name">Model name</label>
        <input
          id="mlops-register-model-name"
          data-testid="mlops-register-model-name"
          className="jp-mlops-filter"
          list="mlops-register-model-known"
          maxLength={255}
          value={name}
          placeholder="e.g. churn-classifier"
          onChange={e => setName(e.target.value)}
        />
        <datalist id="mlops-register-model-known">
          {known.map(k => (
            <option key={k} value={k} />
          ))}
        </datalist>
      </div>
      <div className="jp-mlops-form-row">
        <label htmlFor="mlops-register-model-artifact">
          Artifact path <span className="jp-mlops-count">(optional)</span>
        </label>
        <input
          id="mlops-register-model-artifact"
          data-testid="mlops-register-model-artifact"
          className="jp-mlops-filter"
          maxLength={500}
          value={artifactPath}
          placeholder="empty: the run's only logged model"
          onChange={e => setArtifactPath(e.target.value)}
        />
      </div>
      <DialogSubmit
        label="Register"
        busyLabel="Registering…"
        disabled={!name.trim()}
        testId="mlops-register-model-submit"
        submit={submit}
      />
    </div>
  );
}

/** Show the dialog; the new version, or null when it is closed without one. */
export function showRegisterModelDialog(
  options: IRegisterModelOptions
): Promise<ModelVersionInfo | null> {
  return showActionDialog<ModelVersionInfo>(
    'Register model',
    done => <RegisterModel {...options} done={done} />,
    'jp-mlops-register-model-dialog'
  );
}
