/**
 * "Request review": pick a registered model version (the dialog starts on the newest one
 * trained by the notebook it was opened from, else the newest one), give the review a
 * title and a description, and request it under the server's review rules. The server's
 * refusal stays in the dialog. With no model registered yet, it says how to register one.
 */
import React, { useEffect, useState } from 'react';

import { api, ModelVersionInfo, RegisteredModel, Review } from '../api/client';
import { errorMessage } from '../api/request';
import { showActionDialog } from '../components/ActionDialog';
import { DialogSubmit } from '../components/DialogSubmit';
import { ErrorBox } from '../components/ErrorBox';
import { formatUtc, shortId } from '../components/format';
import { useSubmit } from '../components/useSubmit';
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

interface ILoadedModels {
  /** null until the registered models have arrived. */
  models: RegisteredModel[] | null;
  /** The keys of the versions whose run came from the notebook. */
  fromNotebook: Set<string>;
  /** The version the form starts on. */
  initial: IVersionChoice | null;
  error: string | null;
}

/** The registered models, which of their versions came from the notebook, where to start. */
function useRegisteredModels(options: IRequestReviewOptions): ILoadedModels {
  const [loaded, setLoaded] = useState<ILoadedModels>({
    models: null,
    fromNotebook: new Set(),
    initial: null,
    error: null
  });
  useEffect(() => {
    let live = true;
    const load = async () => {
      const models = (await api.models.list()).models;
      const fromNotebook = options.notebookPath
        ? await versionsFromNotebook(
            models,
            options.notebookPath,
            api.tracking.getRun
          )
        : new Set<string>();
      const initial = preselect(models, fromNotebook, options.wanted);
      if (live) {
        setLoaded({ models, fromNotebook, initial, error: null });
      }
    };
    load().catch(
      e =>
        live && setLoaded(current => ({ ...current, error: errorMessage(e) }))
    );
    return () => {
      live = false;
    };
  }, []);
  return loaded;
}

/** The model and version to review, and what the chosen version is. */
function VersionPicker(props: {
  models: RegisteredModel[];
  fromNotebook: ReadonlySet<string>;
  choice: IVersionChoice | null;
  onChoice: (choice: IVersionChoice | null) => void;
}): JSX.Element {
  const { models, fromNotebook, choice } = props;
  const model = models.find(m => m.name === choice?.model);
  const versions = model ? newestVersions([model]) : [];
  const version = versions.find(v => v.version === choice?.version);
  return (
    <>
      <div className="jp-mlops-form-row">
        <label htmlFor="mlops-request-review-model">Model</label>
        <select
          id="mlops-request-review-model"
          data-testid="mlops-request-review-model"
          value={choice?.model ?? ''}
          onChange={e =>
            props.onChoice(
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
            props.onChoice({
              model: choice.model,
              version: Number(e.target.value)
            })
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
        {version && <VersionInfo version={version} />}
      </div>
    </>
  );
}

function VersionInfo(props: { version: ModelVersionInfo }): JSX.Element {
  const { version } = props;
  return (
    <div
      className="jp-mlops-count"
      data-testid="mlops-request-review-version-info"
    >
      {version.run_id ? `run ${shortId(version.run_id)}` : 'no run'}
      {version.created_at
        ? ` · registered ${formatUtc(version.created_at)}`
        : ''}
    </div>
  );
}

/** The review's title (its placeholder names the version) and description. */
function ReviewText(props: {
  version: ModelVersionInfo | undefined;
  title: string;
  description: string;
  onTitle: (title: string) => void;
  onDescription: (description: string) => void;
}): JSX.Element {
  const { version } = props;
  return (
    <>
      <div className="jp-mlops-form-row">
        <label htmlFor="mlops-request-review-title">Title</label>
        <input
          id="mlops-request-review-title"
          data-testid="mlops-request-review-title"
          className="jp-mlops-filter"
          maxLength={200}
          value={props.title}
          placeholder={
            version ? `Review of ${version.name} v${version.version}` : ''
          }
          onChange={e => props.onTitle(e.target.value)}
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
          value={props.description}
          placeholder="What changed, what to look at"
          onChange={e => props.onDescription(e.target.value)}
        />
      </div>
    </>
  );
}

function RequestReviewForm(
  props: IRequestReviewOptions & {
    models: RegisteredModel[];
    fromNotebook: ReadonlySet<string>;
    initial: IVersionChoice | null;
    done: (result: IRequestedReview) => void;
  }
): JSX.Element {
  const { models, fromNotebook } = props;
  const [choice, setChoice] = useState(props.initial);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const version = newestVersions(
    models.filter(m => m.name === choice?.model)
  ).find(v => v.version === choice?.version);
  const submit = useSubmit(async () => {
    if (!version) {
      return;
    }
    const review = await api.reviews.request({
      model: version.name,
      version: version.version,
      title: title.trim(),
      description: description.trim()
    });
    props.done({
      review,
      version,
      fromNotebook: fromNotebook.has(versionKey(version.name, version.version))
    });
  });
  return (
    <div
      className="jp-mlops-dialog jp-mlops-request-review"
      data-testid="mlops-request-review-form"
    >
      {props.notebookPath && (
        <div className="jp-mlops-count">{props.notebookPath} (saved)</div>
      )}
      <VersionPicker
        models={models}
        fromNotebook={fromNotebook}
        choice={choice}
        onChoice={setChoice}
      />
      <ReviewText
        version={version}
        title={title}
        description={description}
        onTitle={setTitle}
        onDescription={setDescription}
      />
      <DialogSubmit
        label="Request review"
        busyLabel="Requesting…"
        disabled={!version}
        testId="mlops-request-review-submit"
        submit={submit}
      />
    </div>
  );
}

function RequestReview(
  props: IRequestReviewOptions & { done: (result: IRequestedReview) => void }
): JSX.Element {
  const { models, fromNotebook, initial, error } = useRegisteredModels(props);
  if (models !== null && models.length > 0) {
    return (
      <RequestReviewForm
        {...props}
        models={models}
        fromNotebook={fromNotebook}
        initial={initial}
      />
    );
  }
  return (
    <div className="jp-mlops-dialog" data-testid="mlops-request-review-form">
      {models !== null ? (
        <NoModels />
      ) : error ? (
        <ErrorBox message={error} />
      ) : (
        <p className="jp-mlops-empty">Loading registered models…</p>
      )}
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
