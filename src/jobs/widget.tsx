/**
 * The Jobs side panel: polls its model while shown, renders the jobs view; promotion
 * and rollback ask first in dialogs.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import React from 'react';

import { Stage } from '../api/client';
import { PollingPanel } from '../components/PollingPanel';
import { JOBS_PANEL_ID } from '../tokens';
import { JobsModel } from './model';
import { JobsView } from './JobsView';
import { showPromoteStageDialog } from './PromoteStageDialog';
import { showScheduleDialog } from './ScheduleDialog';

export class JobsPanel extends PollingPanel<JobsModel> {
  constructor(
    model: JobsModel,
    private readonly openOutput: (
      job: string,
      runId: number,
      step: string
    ) => void
  ) {
    super(model, JOBS_PANEL_ID, 'Jobs');
  }

  private async rollback(stage: Stage): Promise<void> {
    const name = this.model.name;
    const state = this.model.detail?.job.stages.find(s => s.stage === stage);
    const result = await showDialog({
      title: `Roll back ${name} ${stage}?`,
      body: `${stage} runs v${state?.version ?? '—'} now; it goes back to the version it ran before (recorded in the audit trail).`,
      buttons: [
        Dialog.cancelButton(),
        Dialog.warnButton({ label: 'Roll back' })
      ]
    });
    if (result.button.accept) {
      await this.model.rollback(stage);
    }
  }

  protected renderBody(): JSX.Element {
    return (
      <JobsView
        model={this.model}
        onPromote={to => void showPromoteStageDialog(this.model, to)}
        onRollback={stage => void this.rollback(stage)}
        onSchedule={stage => void showScheduleDialog(this.model, stage)}
        onOpenOutput={this.openOutput}
      />
    );
  }
}
