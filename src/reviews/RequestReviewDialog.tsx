/**
 * "Request review": pick a registered model version (the dialog starts on the newest one
 * trained by the notebook it was opened from, else the newest one), give the review a
 * title and a description, and request it under the server's review rules. The server's
 * refusal stays in the dialog. With no model registered yet, it says how to register one.
 */
import React, { useEffect, useState } from 'react';

import { api, ModelVersionInfo, RegisteredModel, Review } from '../api/client';
import { ApiError } from '../api/request';
import { showActionDialog } from '../components/ActionDialog';
import { DialogSubmit } from '../components/DialogSubmit';
import { ErrorBox } from '../components/ErrorBox';
import { formatUtc, shortId } from '../components/format';
import {
  IVersionChoice,
  newestVersions,
  preselect,
  versionKey,
  versionOptionLabel,
  versionsFromNotebook
} from './requestReviewChoice';

export interface IRequestReviewOptions {
  /** The (saved) notebook the dialog was opened from, relative to the server root. */
  notebookPath?: string | null;
  /** A version to start on (one just registered). */
  wanted?: IVersionChoice | null;
}

/** The requested review, its version, and whether that version came from the notebook. */
export interface IRequestedReview {
  review: Review;
  version: ModelVersionInfo;
  fromNotebook: boolean;
}

const message = (e: unknown) => (e instanceof ApiError ? e.message : String(e));

function NoModels(): JSX.Element {
  return (
    <div className="jp-mlops-empty" data-testid="mlops-request-review-empty">
      <p>No model is registered yet.</p>
      <p>
        Register one with <code>%mlops register RUN --name NAME</code> in a
        notebook, or with <strong>Register model…</strong> in a run&apos;s
        detail in the Experiments panel.
      </p>
    </div>
  );
}

/** The version of `model` to switch to: its newest from the notebook, else its newest. */
function firstVersionOf(
  model: RegisteredModel | undefined,
  fromNotebook: ReadonlySet<string>
): IVersionChoice | null {
  if (!model || model.versions.length === 0) {
    return null;
  }
  const versions = newestVersions([model]);
  const pick =
    versions.find(v => fromNotebook.has(versionKey(v.name, v.version))) ??
    versions[0];
  return { model: pick.name, version: pick.version };
}

function RequestReview(
  props: IRequestReviewOptions & { done: (result: IRequestedReview) => void }
): JSX.Element {
  const [models, setModels] = useState<RegisteredModel[] | null>(null);
  const [fromNotebook, setFromNotebook] = useState<Set<string>>(new Set());
  const [choice, setChoice] = useState<IVersionChoice | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    const load = async () => {
      const found = (await api.models.list()).models;
      const mine = props.notebookPath
        ? await versionsFromNotebook(
            found,
            props.notebookPath,
            api.tracking.getRun
          )
        : new Set<string>();
      if (live) {
        setFromNotebook(mine);
        setChoice(preselect(found, mine, props.wanted));
        setModels(found);
      }
    };
    load().catch(e => live && setError(message(e)));
    return () => {
      live = false;
    };
  }, []);

  if (models === null) {
    return (
      <div className="jp-mlops-dialog" data-testid="mlops-request-review-form">
        {error ? (
          <ErrorBox message={error} />
        ) : (
          <p className="jp-mlops-empty">Loading registered models…</p>
        )}
      </div>
    );
  }
  if (models.length === 0) {
    return (
      <div className="jp-mlops-dialog" data-testid="mlops-request-review-form">
        <NoModels />
      </div>
    );
  }

  const model = models.find(m => m.name === choice?.model);
  const versions = model ? newestVersions([model]) : [];
  const version = versions.find(v => v.version === choice?.version);

  const submit = async () => {
    if (!version) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const review = await api.reviews.request({
        model: version.name,
        version: version.version,
        title: title.trim(),
        description: description.trim()
      });
      props.done({
        review,
        version,
        fromNotebook: fromNotebook.has(
          versionKey(version.name, version.version)
        )
      });
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      className="jp-mlops-dialog jp-mlops-request-review"
      data-testid="mlops-request-review-form"
    >
      {props.notebookPath && (
        <div className="jp-mlops-count">{props.notebookPath} (saved)</div>
      )}
      <div className="jp-mlops-form-row">
        <label htmlFor="mlops-request-review-model">Model</label>
        <select
          id="mlops-request-review-model"
          data-testid="mlops-request-review-model"
          value={choice?.model ?? ''}
          onChange={e =>
            setChoice(
              firstVersionOf(
                models.find(m => m.name === e.target.value),
                fromNotebook
              )
            )
          }
        >
          {models.map(m => (
            <option key={m.name} value={m.name}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <div className="jp-mlops-form-row">
        <label htmlFor="mlops-request-review-version">Version</label>
        <select
          id="mlops-request-review-version"
          data-testid="mlops-request-review-version"
          value={choice?.version ?? ''}
          onChange={e =>
            choice &&
            setChoice({ model: choice.model, version: Number(e.target.value) })
          }
        >
          {versions.map(v => (
            <option key={v.version} value={v.version}>
              {versionOptionLabel(
                v,
                fromNotebook.has(versionKey(v.name, v.version))
              )}
            </option>
          ))}
        </select>
        {version && (
          <div
            className="jp-mlops-count"
            data-testid="mlops-request-review-version-info"
          >
            {version.run_id ? `run ${shortId(version.run_id)}` : 'no run'}
            {version.created_at
              ? ` · registered ${formatUtc(version.created_at)}`
              : ''}
          </div>
        )}
      </div>
      <div className="jp-mlops-form-row">
        <label htmlFor="mlops-request-review-title">Title</label>
        <input
          id="mlops-request-review-title"
          data-testid="mlops-request-review-title"
          className="jp-mlops-filter"
          maxLength={200}
          value={title}
          placeholder={
            version ? `Review of ${version.name} v${version.version}` : ''
          }
          onChange={e => setTitle(e.target.value)}
        />
      </div>
      <div className="jp-mlops-form-row">
        <label htmlFor="mlops-request-review-description">Description</label>
        <textarea
          id="mlops-request-review-description"
          data-testid="mlops-request-review-description"
          className="jp-mlops-filter"
          rows={4}
          maxLength={10000}
          value={description}
          placeholder="What changed, what to look at"
          onChange={e => setDescription(e.target.value)}
        />
      </div>
      <DialogSubmit
        error={error}
        label="Request review"
        busyLabel="Requesting…"
        busy={busy}
        disabled={!version}
        testId="mlops-request-review-submit"
        onSubmit={submit}
      />
    </div>
  );
}

/** Show the dialog; the requested review, or null when it is closed without one. */
export function showRequestReviewDialog(
  options: IRequestReviewOptions = {}
): Promise<IRequestedReview | null> {
  return showActionDialog<IRequestedReview>(
    'Request review',
    done => <RequestReview {...options} done={done} />,
    'jp-mlops-request-review-dialog'
  );
}
