/**
 * Start a shadow or a canary of a challenger version beside the champion: the challenger
 * (NAME@ALIAS or NAME/VERSION), a canary's percent of traffic, and the rules that roll it
 * back (empty: the server's defaults). A refusal shows inside the form, which keeps what
 * was typed.
 */
import React, { useState } from 'react';

import { RolloutMode } from '../api/client';
import { GridRow } from '../components/GridRow';
import { useSubmit } from '../components/useSubmit';
import {
  emptyRolloutForm,
  IRolloutForm,
  parseRolloutForm,
  ROLLOUT_RULE_FIELDS
} from './format';
import { FormButtons } from './FormButtons';
import { ServingModel } from './model';

const HINTS: Partial<Record<keyof IRolloutForm, string>> = {
  maxErrorRate: 'default 0.05',
  maxP99Ms: 'none',
  maxDisagreement: 'none, e.g. 0.2',
  minRequests: 'default 20',
  windowS: 'default 60'
};

export function RolloutForm(props: {
  model: ServingModel;
  mode: RolloutMode;
  /** The endpoint's model name, to suggest `NAME/VERSION`. */
  modelName: string;
  onDone: () => void;
}): JSX.Element {
  const { mode } = props;
  const [form, setForm] = useState<IRolloutForm>(emptyRolloutForm);
  const submit = useSubmit(async () => {
    const request = parseRolloutForm(mode, form);
    if (typeof request === 'string') {
      return request;
    }
    await props.model.startRollout(request);
    props.onDone();
  });
  const field = (key: keyof IRolloutForm, label: string, hint = '') => (
    <GridRow key={key} id={`mlops-rollout-${key}`} label={label}>
      <input
        id={`mlops-rollout-${key}`}
        data-testid={`mlops-rollout-${key}`}
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
    <div
      className="jp-mlops-serving-form"
      data-testid="mlops-rollout-form"
      data-mode={mode}
    >
      <h4 className="jp-mlops-serving-form-title">
        {mode === 'canary'
          ? 'Start a canary: a share of requests answered by the challenger'
          : 'Start a shadow: a copy of every request, its answer only compared'}
      </h4>
      <div className="jp-mlops-form-grid">
        {field('challenger', 'Challenger', `${props.modelName}/VERSION`)}
        {mode === 'canary' && field('percent', 'Percent', 'above 0, below 100')}
        {ROLLOUT_RULE_FIELDS.map(({ field: key, label }) =>
          field(key, label, HINTS[key])
        )}
      </div>
      <FormButtons
        submit={submit}
        label={`Start ${mode}`}
        busyLabel="Starting… (waits until it answers)"
        disabled={!form.challenger.trim()}
        testName="rollout"
        onCancel={props.onDone}
      />
    </div>
  );
}
