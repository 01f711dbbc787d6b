/**
 * Deploy a registered model: NAME@ALIAS (the endpoint follows the alias) or NAME/VERSION,
 * an optional endpoint name and port. Deploying waits until the endpoint answers (seconds):
 * the button says so meanwhile; a refusal shows inside the form, which keeps what was typed.
 */
import React, { useState } from 'react';

import { GridRow } from '../components/GridRow';
import { useSubmit } from '../components/useSubmit';
import { IDeployForm, parseDeployForm } from './format';
import { FormButtons } from './FormButtons';
import { ServingModel } from './model';

export function DeployForm(props: {
  model: ServingModel;
  onDone: () => void;
}): JSX.Element {
  const [form, setForm] = useState<IDeployForm>({
    model: '',
    name: '',
    port: ''
  });
  const submit = useSubmit(async () => {
    const request = parseDeployForm(form);
    if (typeof request === 'string') {
      return request;
    }
    await props.model.deploy(request);
    props.onDone();
  });
  const field = (key: keyof IDeployForm, label: string, hint: string) => (
    <GridRow id={`mlops-deploy-${key}`} label={label}>
      <input
        id={`mlops-deploy-${key}`}
        data-testid={`mlops-deploy-${key}`}
        className="jp-mlops-filter"
        value={form[key]}
        placeholder={hint}
        disabled={submit.busy}
        onChange={e => setForm({ ...form, [key]: e.target.value })}
        onKeyDown={e => e.key === 'Enter' && void submit.submit()}
      />
    </GridRow>
  );
  return (
    <div className="jp-mlops-serving-form" data-testid="mlops-deploy-form">
      <div className="jp-mlops-form-grid">
        {field('model', 'Model', 'NAME@ALIAS or NAME/VERSION')}
        {field('name', 'Name', 'default: the model’s')}
        {field('port', 'Port', 'default: a free one')}
      </div>
      <FormButtons
        submit={submit}
        label="Deploy"
        busyLabel="Deploying… (waits until it answers)"
        disabled={!form.model.trim()}
        testName="deploy"
        onCancel={props.onDone}
      />
    </div>
  );
}
