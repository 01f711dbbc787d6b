/**
 * Change a stage's schedule: a cron in an IANA timezone, or manual only (no cron). The
 * server's refusal (a bad field, an unknown timezone) stays in the dialog.
 */
import React, { useState } from 'react';

import { Stage, StageState } from '../api/client';
import { ApiError } from '../api/request';
import { showActionDialog } from '../components/ActionDialog';
import { ErrorBox } from '../components/ErrorBox';
import { JobsModel } from './model';
import { CronFields } from './PromoteFields';

function EditSchedule(props: {
  model: JobsModel;
  state: StageState;
  done: (state: StageState) => void;
}): JSX.Element {
  const { state } = props;
  const [cron, setCron] = useState(state.cron ?? '');
  const [timezone, setTimezone] = useState(state.timezone);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      props.done(
        await props.model.setSchedule(
          state.stage,
          cron.trim() || null,
          timezone.trim()
        )
      );
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
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
      <ErrorBox message={error} />
      <button
        className="jp-mlops-button jp-mod-accept"
        data-testid="mlops-schedule-save"
        disabled={busy}
        onClick={() => void save()}
      >
        Save schedule
      </button>
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
    `Schedule of ${model.name} in ${stage}`,
    done => <EditSchedule model={model} state={state} done={done} />
  );
}
