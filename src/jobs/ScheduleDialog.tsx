/**
 * Change a stage's schedule (a cron in an IANA timezone, or manual only: no cron) and its
 * parameter overrides (a JSON object). The server's refusal (a bad field, an unknown
 * timezone, a parameter of the wrong type) stays in the dialog.
 */
import React, { useState } from 'react';

import { Stage, StageState } from '../api/client';
import { showActionDialog } from '../components/ActionDialog';
import { DialogSubmit } from '../components/DialogSubmit';
import { useSubmit } from '../components/useSubmit';
import { JobsModel } from './model';
import { parseInput } from './parameters';
import { CronFields } from './PromoteFields';

function EditSchedule(props: {
  model: JobsModel;
  state: StageState;
  done: (state: StageState) => void;
}): JSX.Element {
  const { state } = props;
  const [cron, setCron] = useState(state.cron ?? '');
  const [timezone, setTimezone] = useState(state.timezone);
  const [overrides, setOverrides] = useState(JSON.stringify(state.parameters));
  const submit = useSubmit(async () => {
    const parsed = parseInput('dict', overrides.trim() || '{}');
    if (!parsed.ok) {
      return `Parameter overrides must be ${parsed.error}.`;
    }
    props.done(
      await props.model.setSchedule(
        state.stage,
        cron.trim() || null,
        timezone.trim(),
        parsed.value as Record<string, unknown>
      )
    );
  });
  return (
    <div className="jp-mlops-dialog" data-testid="mlops-schedule-dialog">
      <CronFields
        idPrefix="mlops-stage-"
        cron={cron}
        timezone={timezone}
        cronLabel="Cron (minute hour day month weekday); empty: run only when started"
        onCron={setCron}
        onTimezone={setTimezone}
      />
      <div className="jp-mlops-form-row">
        <label htmlFor="mlops-stage-parameters">
          Parameter overrides in {state.stage} (JSON object)
        </label>
        <textarea
          id="mlops-stage-parameters"
          data-testid="mlops-stage-parameters"
          className="jp-mlops-filter"
          rows={3}
          value={overrides}
          onChange={e => setOverrides(e.target.value)}
        />
      </div>
      <DialogSubmit label="Save" testId="mlops-schedule-save" submit={submit} />
    </div>
  );
}

export function showScheduleDialog(
  model: JobsModel,
  stage: Stage
): Promise<StageState | null> {
  const state = model.detail?.job.stages.find(s => s.stage === stage);
  if (!state) {
    return Promise.resolve(null);
  }
  return showActionDialog<StageState>(
    `${model.name} in ${stage}: schedule and parameters`,
    done => <EditSchedule model={model} state={state} done={done} />
  );
}
