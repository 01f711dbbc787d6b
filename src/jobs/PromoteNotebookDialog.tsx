/**
 * "Promote to job": a saved notebook becomes a job (version 1, in dev). The dialog asks
 * for the job's name, its parameters as typed inputs prefilled with the parameters
 * cell's defaults, a schedule (manual, or cron in an IANA timezone), kernel, timeout,
 * retries with backoff and failure notification. The server's refusal (a bad cron, a
 * parameter of the wrong type…) stays in the dialog.
 */
import React, { useEffect, useState } from 'react';

import { api, Job, NotebookParameters } from '../api/client';
import { errorMessage } from '../api/request';
import { showActionDialog } from '../components/ActionDialog';
import { DialogSubmit } from '../components/DialogSubmit';
import { useSubmit } from '../components/useSubmit';
import { collectParameters, initialText } from './parameters';
import {
  ExecutionFieldset,
  ParametersFieldset,
  ScheduleFieldset
} from './PromoteFields';
import { initialForm, IPromoteForm, readOptions } from './promoteForm';

export interface IPromoteNotebookOptions {
  /** The notebook's path relative to the server root. */
  path: string;
  /** The notebook's kernel (the job's default kernel). */
  kernel: string;
}

function PromoteNotebook(
  props: IPromoteNotebookOptions & { done: (job: Job) => void }
): JSX.Element {
  const [params, setParams] = useState<NotebookParameters | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [form, setForm] = useState(initialForm(props.path, props.kernel));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const submit = useSubmit(async () => {
    const { values, errors } = collectParameters(
      params?.parameters ?? [],
      texts
    );
    setProblems(errors);
    const read = readOptions(form);
    if (!read.ok) {
      return read.error;
    }
    if (Object.keys(errors).length > 0) {
      return 'Some parameters are not of their type.';
    }
    props.done(
      await api.jobs.create({
        notebook: props.path,
        steps: null,
        name: form.name.trim(),
        parameters: values,
        cron: form.scheduled ? form.cron.trim() : null,
        timezone: form.timezone.trim(),
        options: read.options
      })
    );
  });
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
      e => submit.setError(errorMessage(e))
    );
  }, []);
  // Functional updates: two quick edits (typed, or filled by a test) must not drop one.
  const set = (patch: Partial<IPromoteForm>) =>
    setForm(current => ({ ...current, ...patch }));

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
      <ParametersFieldset
        params={params}
        texts={texts}
        problems={problems}
        loading={params === null && !submit.error}
        onChange={(name, text) =>
          setTexts(current => ({ ...current, [name]: text }))
        }
      />
      <ScheduleFieldset form={form} set={set} />
      <ExecutionFieldset form={form} set={set} />
      <DialogSubmit
        label="Promote to job"
        busyLabel="Promoting…"
        disabled={!form.name.trim()}
        testId="mlops-promote-submit"
        submit={submit}
      />
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
