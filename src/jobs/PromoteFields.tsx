/**
 * The fields of the promote dialog: a parameter's typed input, the parameters cell's
 * inputs, a cron and its IANA timezone (also the stage schedule dialog's), and the
 * execution options.
 */
import React from 'react';

import { NotebookParameter, NotebookParameters } from '../api/client';
import { inputKind } from './parameters';
import { IPromoteForm } from './promoteForm';

function timezones(): string[] {
  const intl = Intl as unknown as {
    supportedValuesOf?: (key: string) => string[];
  };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}

export function ParameterInput(props: {
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

export function ParametersFieldset(props: {
  params: NotebookParameters | null;
  texts: Record<string, string>;
  problems: Record<string, string>;
  loading: boolean;
  onChange: (name: string, text: string) => void;
}): JSX.Element {
  const { params } = props;
  return (
    <fieldset>
      <legend>Parameters</legend>
      {props.loading && (
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
          text={props.texts[p.name] ?? ''}
          error={props.problems[p.name]}
          onChange={text => props.onChange(p.name, text)}
        />
      ))}
      {params && params.parameters.length > 0 && (
        <div className="jp-mlops-count">
          Only values you change are stored with the job; the others keep the
          notebook&apos;s defaults.
        </div>
      )}
    </fieldset>
  );
}

/** A cron and its IANA timezone; `idPrefix` names the inputs (and their test ids). */
export function CronFields(props: {
  idPrefix: string;
  cron: string;
  timezone: string;
  cronLabel: string;
  cronDisabled?: boolean;
  onCron: (cron: string) => void;
  onTimezone: (timezone: string) => void;
}): JSX.Element {
  const cronId = `${props.idPrefix}cron`;
  const zoneId = `${props.idPrefix}timezone`;
  return (
    <>
      <div className="jp-mlops-form-row">
        <label htmlFor={cronId}>{props.cronLabel}</label>
        <input
          id={cronId}
          data-testid={cronId}
          className="jp-mlops-filter"
          disabled={props.cronDisabled}
          placeholder="manual"
          value={props.cron}
          onChange={e => props.onCron(e.target.value)}
        />
      </div>
      <div className="jp-mlops-form-row">
        <label htmlFor={zoneId}>Timezone (IANA)</label>
        <input
          id={zoneId}
          data-testid={zoneId}
          className="jp-mlops-filter"
          list="mlops-timezones"
          value={props.timezone}
          onChange={e => props.onTimezone(e.target.value)}
        />
        <datalist id="mlops-timezones">
          {timezones().map(tz => (
            <option key={tz} value={tz} />
          ))}
        </datalist>
      </div>
    </>
  );
}

type FormProps = {
  form: IPromoteForm;
  set: (patch: Partial<IPromoteForm>) => void;
};

export function ScheduleFieldset({ form, set }: FormProps): JSX.Element {
  return (
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
      <CronFields
        idPrefix="mlops-"
        cron={form.cron}
        timezone={form.timezone}
        cronLabel="Cron (minute hour day month weekday)"
        cronDisabled={!form.scheduled}
        onCron={cron => set({ cron })}
        onTimezone={timezone => set({ timezone })}
      />
    </fieldset>
  );
}

function NumberField(props: {
  id: string;
  label: string;
  value: string;
  min: number;
  placeholder?: string;
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        data-testid={props.id}
        className="jp-mlops-filter"
        type="number"
        min={props.min}
        placeholder={props.placeholder}
        value={props.value}
        onChange={e => props.onChange(e.target.value)}
      />
    </>
  );
}

export function ExecutionFieldset({ form, set }: FormProps): JSX.Element {
  return (
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
        <NumberField
          id="mlops-timeout"
          label="Timeout (s)"
          min={1}
          placeholder="none"
          value={form.timeout}
          onChange={timeout => set({ timeout })}
        />
        <NumberField
          id="mlops-retries"
          label="Retries"
          min={0}
          value={form.retries}
          onChange={retries => set({ retries })}
        />
        <NumberField
          id="mlops-backoff"
          label="Backoff (s)"
          min={0}
          value={form.backoff}
          onChange={backoff => set({ backoff })}
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
  );
}
