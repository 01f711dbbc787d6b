/**
 * "Promote to job": a saved notebook becomes a job (version 1, in dev). The dialog asks
 * for the job's name, its parameters as typed inputs prefilled with the parameters
 * cell's defaults, a schedule (manual, or cron in an IANA timezone), kernel, timeout,
 * retries with backoff and failure notification. The server's refusal (a bad cron, a
 * parameter of the wrong type…) stays in the dialog.
 */
import React, { useEffect, useState } from 'react';

import {
  api,
  Job,
  JobOptions,
  NotebookParameter,
  NotebookParameters
} from '../api/client';
import { ApiError } from '../api/request';
import { showActionDialog } from '../components/ActionDialog';
import { ErrorBox } from '../components/ErrorBox';
import { collectParameters, initialText, inputKind } from './parameters';

export interface IPromoteNotebookOptions {
  /** The notebook's path relative to the server root. */
  path: string;
  /** The notebook's kernel (the job's default kernel). */
  kernel: string;
}

/** The job name a notebook suggests: its file name without `.ipynb`. */
export function defaultJobName(path: string): string {
  const file = path.split('/').pop() ?? path;
  return file.replace(/\.ipynb$/i, '');
}

export function browserTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function timezones(): string[] {
  const intl = Intl as unknown as {
    supportedValuesOf?: (key: string) => string[];
  };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}

function ParameterInput(props: {
  param: NotebookParameter;
  text: string;
  error?: string;
  onChange: (text: string) => void;
}): JSX.Element {
  const { param, text } = props;
  const kind = inputKind(param.type);
  const id = `mlops-param-${param.name}`;
  const common = {
    id,
    'data-testid': id,
    'aria-invalid': props.error ? true : undefined
  };
  let input: JSX.Element;
  if (kind === 'checkbox') {
    input = (
      <input
        {...common}
        type="checkbox"
        checked={text === 'true'}
        onChange={e => props.onChange(e.target.checked ? 'true' : 'false')}
      />
    );
  } else if (kind === 'json') {
    input = (
      <textarea
        {...common}
        className="jp-mlops-filter"
        rows={2}
        value={text}
        placeholder={param.type === 'any' ? param.source : 'JSON'}
        onChange={e => props.onChange(e.target.value)}
      />
    );
  } else {
    input = (
      <input
        {...common}
        className="jp-mlops-filter"
        type={kind === 'number' ? 'number' : 'text'}
        step={param.type === 'int' ? 1 : 'any'}
        value={text}
        onChange={e => props.onChange(e.target.value)}
      />
    );
  }
  return (
    <div className="jp-mlops-form-row">
      <label htmlFor={id} title={param.help || undefined}>
        {param.name} <span className="jp-mlops-count">{param.type}</span>
      </label>
      {input}
      {param.help && <div className="jp-mlops-count">{param.help}</div>}
      {props.error && (
        <div className="jp-mlops-form-problem" role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
}

interface IFormState {
  name: string;
  scheduled: boolean;
  cron: string;
  timezone: string;
  kernel: string;
  timeout: string;
  retries: string;
  backoff: string;
  notify: boolean;
}

/** The options as the server takes them; a message when one is not a number. */
function readOptions(form: IFormState): {
  options: JobOptions | null;
  error: string | null;
} {
  const timeout = form.timeout.trim() === '' ? null : Number(form.timeout);
  const retries = Number(form.retries || '0');
  const backoff = Number(form.backoff || '0');
  if (timeout !== null && !(timeout > 0)) {
    return {
      options: null,
      error: 'Timeout must be a positive number of seconds (or empty: none).'
    };
  }
  if (!Number.isInteger(retries) || retries < 0) {
    return { options: null, error: 'Retries must be a whole number ≥ 0.' };
  }
  if (!Number.isFinite(backoff) || backoff < 0) {
    return { options: null, error: 'Backoff must be a number of seconds ≥ 0.' };
  }
  return {
    options: {
      kernel: form.kernel.trim() || null,
      timeout_s: timeout,
      retries,
      retry_backoff_s: backoff,
      notify_on_failure: form.notify,
      missed_policy: 'skip'
    },
    error: null
  };
}

function PromoteNotebook(
  props: IPromoteNotebookOptions & { done: (job: Job) => void }
): JSX.Element {
  const [params, setParams] = useState<NotebookParameters | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [form, setForm] = useState<IFormState>({
    name: defaultJobName(props.path),
    scheduled: false,
    cron: '0 6 * * *',
    timezone: browserTimezone(),
    kernel: props.kernel,
    timeout: '',
    retries: '0',
    backoff: '30',
    notify: true
  });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.jobs.notebookParameters(props.path).then(
      found => {
        setParams(found);
        setTexts(
          Object.fromEntries(
            found.parameters.map(p => [p.name, initialText(p)])
          )
        );
      },
      (e: unknown) => setError(e instanceof ApiError ? e.message : String(e))
    );
  }, []);
  const set = (patch: Partial<IFormState>) => setForm({ ...form, ...patch });

  const submit = async () => {
    const { values, errors } = collectParameters(
      params?.parameters ?? [],
      texts
    );
    setProblems(errors);
    const { options, error: optionError } = readOptions(form);
    if (Object.keys(errors).length > 0 || optionError || !options) {
      setError(optionError ?? 'Some parameters are not of their type.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      props.done(
        await api.jobs.create({
          notebook: props.path,
          steps: null,
          name: form.name.trim(),
          parameters: values,
          cron: form.scheduled ? form.cron.trim() : null,
          timezone: form.timezone.trim(),
          options
        })
      );
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      className="jp-mlops-dialog jp-mlops-promote-form"
      data-testid="mlops-promote-notebook"
    >
      <div className="jp-mlops-count">{props.path} (saved)</div>
      <div className="jp-mlops-form-row">
        <label htmlFor="mlops-job-name">Job name</label>
        <input
          id="mlops-job-name"
          data-testid="mlops-job-name"
          className="jp-mlops-filter"
          value={form.name}
          onChange={e => set({ name: e.target.value })}
        />
      </div>
      <fieldset>
        <legend>Parameters</legend>
        {params === null && !error && (
          <p className="jp-mlops-empty">Reading the parameters cell…</p>
        )}
        {params && !params.has_parameters_cell && (
          <p className="jp-mlops-empty" data-testid="mlops-no-parameters-cell">
            No cell is tagged <code>parameters</code>: the job runs the notebook
            as it is. Use <b>Mark as Parameters Cell</b> on the cell holding its
            inputs to make them parameters.
          </p>
        )}
        {params?.parameters.map(p => (
          <ParameterInput
            key={p.name}
            param={p}
            text={texts[p.name] ?? ''}
            error={problems[p.name]}
            onChange={text => setTexts({ ...texts, [p.name]: text })}
          />
        ))}
        {params && params.parameters.length > 0 && (
          <div className="jp-mlops-count">
            Only values you change are stored with the job; the others keep the
            notebook&apos;s defaults.
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>Schedule</legend>
        <label>
          <input
            type="radio"
            name="mlops-schedule"
            data-testid="mlops-schedule-manual"
            checked={!form.scheduled}
            onChange={() => set({ scheduled: false })}
          />{' '}
          manual (Run now only)
        </label>
        <label>
          <input
            type="radio"
            name="mlops-schedule"
            data-testid="mlops-schedule-cron"
            checked={form.scheduled}
            onChange={() => set({ scheduled: true })}
          />{' '}
          cron
        </label>
        <div className="jp-mlops-form-row">
          <label htmlFor="mlops-cron">
            Cron (minute hour day month weekday)
          </label>
          <input
            id="mlops-cron"
            data-testid="mlops-cron"
            className="jp-mlops-filter"
            disabled={!form.scheduled}
            value={form.cron}
            onChange={e => set({ cron: e.target.value })}
          />
        </div>
        <div className="jp-mlops-form-row">
          <label htmlFor="mlops-timezone">Timezone (IANA)</label>
          <input
            id="mlops-timezone"
            data-testid="mlops-timezone"
            className="jp-mlops-filter"
            list="mlops-timezones"
            value={form.timezone}
            onChange={e => set({ timezone: e.target.value })}
          />
          <datalist id="mlops-timezones">
            {timezones().map(tz => (
              <option key={tz} value={tz} />
            ))}
          </datalist>
        </div>
      </fieldset>
      <fieldset>
        <legend>Execution</legend>
        <div className="jp-mlops-form-grid">
          <label htmlFor="mlops-kernel">Kernel</label>
          <input
            id="mlops-kernel"
            data-testid="mlops-kernel"
            className="jp-mlops-filter"
            value={form.kernel}
            onChange={e => set({ kernel: e.target.value })}
          />
          <label htmlFor="mlops-timeout">Timeout (s)</label>
          <input
            id="mlops-timeout"
            data-testid="mlops-timeout"
            className="jp-mlops-filter"
            type="number"
            min={1}
            placeholder="none"
            value={form.timeout}
            onChange={e => set({ timeout: e.target.value })}
          />
          <label htmlFor="mlops-retries">Retries</label>
          <input
            id="mlops-retries"
            data-testid="mlops-retries"
            className="jp-mlops-filter"
            type="number"
            min={0}
            max={20}
            value={form.retries}
            onChange={e => set({ retries: e.target.value })}
          />
          <label htmlFor="mlops-backoff">Backoff (s)</label>
          <input
            id="mlops-backoff"
            data-testid="mlops-backoff"
            className="jp-mlops-filter"
            type="number"
            min={0}
            value={form.backoff}
            onChange={e => set({ backoff: e.target.value })}
          />
        </div>
        <label>
          <input
            type="checkbox"
            data-testid="mlops-notify"
            checked={form.notify}
            onChange={e => set({ notify: e.target.checked })}
          />{' '}
          notify when a run fails
        </label>
      </fieldset>
      <ErrorBox message={error} />
      <button
        className="jp-mlops-button jp-mod-accept"
        data-testid="mlops-promote-submit"
        disabled={busy || !form.name.trim()}
        onClick={() => void submit()}
      >
        {busy ? 'Promoting…' : 'Promote to job'}
      </button>
    </div>
  );
}

export function showPromoteNotebookDialog(
  options: IPromoteNotebookOptions
): Promise<Job | null> {
  return showActionDialog<Job>(
    'Promote notebook to job',
    done => <PromoteNotebook {...options} done={done} />,
    'jp-mlops-promote-dialog'
  );
}
