/**
 * The Jobs side panel and the notebook side of jobs: open the panel, a job (and a run),
 * a run step's executed notebook read-only; "Mark as Parameters Cell" (command, cell
 * context menu, cell toolbar) and the notebook toolbar's "Promote to job". A job's run
 * that fails is announced as a Lab notification, once per run, while Lab is open.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  Notification,
  ToolbarButton
} from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';

import { JobRun } from '../api/client';
import { jobsIcon, parametersIcon } from '../icons';
import { STATUS_LABELS } from '../jobs/format';
import { JobsModel } from '../jobs/model';
import { createOutputWidget, outputWidgetId } from '../jobs/outputWidget';
import { showPromoteNotebookDialog } from '../jobs/PromoteNotebookDialog';
import {
  markParametersCells,
  PARAMETERS_TAG,
  tagsOf,
  toggleParameters
} from '../jobs/parametersCell';
import { JobsView } from '../jobs/JobsView';
import {
  confirmRollback,
  showPromoteStageDialog
} from '../jobs/PromoteStageDialog';
import { showScheduleDialog } from '../jobs/ScheduleDialog';
import { CommandIDs } from '../tokens';
import { addSidePanel, showLoadedPanel, showMainWidget } from './shell';

function notifyFailures(app: JupyterFrontEnd, runs: JobRun[]): void {
  runs.forEach(run =>
    Notification.error(
      `Job ${run.job} run ${run.id} (${run.stage} v${run.version}) ${STATUS_LABELS[run.status]}` +
        (run.error ? `: ${run.error}` : '.'),
      {
        autoClose: false,
        actions: [
          {
            label: 'Show',
            caption: `Open run ${run.id} of ${run.job}`,
            callback: () =>
              void app.commands.execute(CommandIDs.openJob, {
                name: run.job,
                run: run.id
              })
          }
        ]
      }
    )
  );
}

/** Save a notebook panel and open the promote dialog; on success show the job. */
async function promote(
  app: JupyterFrontEnd,
  panel: NotebookPanel
): Promise<void> {
  await panel.context.ready;
  await panel.context.save();
  const kernel =
    panel.sessionContext.session?.kernel?.name ??
    (panel.model?.getMetadata('kernelspec') as { name?: string } | undefined)
      ?.name ??
    '';
  const job = await showPromoteNotebookDialog({
    path: panel.context.path,
    kernel
  });
  if (job) {
    await app.commands.execute(CommandIDs.openJob, { name: job.name });
  }
}

function addNotebookCommands(
  app: JupyterFrontEnd,
  tracker: INotebookTracker
): void {
  const hasNotebook = () => tracker.currentWidget !== null;
  app.commands.addCommand(CommandIDs.toggleParametersCell, {
    label: 'Mark as Parameters Cell',
    caption:
      'Toggle the papermill "parameters" tag of the active cell: a job run sets its values there',
    icon: args => (args.toolbar ? parametersIcon : undefined),
    isEnabled: () => tracker.activeCell?.model.type === 'code',
    isToggled: () =>
      !!tracker.activeCell &&
      tagsOf(tracker.activeCell).includes(PARAMETERS_TAG),
    execute: () => {
      const cell = tracker.activeCell;
      if (cell) {
        toggleParameters(cell);
        app.commands.notifyCommandChanged(CommandIDs.toggleParametersCell);
      }
    }
  });
  app.commands.addCommand(CommandIDs.promoteNotebook, {
    label: 'Promote Notebook to Job…',
    caption: 'Save this notebook and make it a job (scheduled or run by hand)',
    icon: jobsIcon,
    isEnabled: hasNotebook,
    execute: () => {
      const panel = tracker.currentWidget;
      return panel ? promote(app, panel) : undefined;
    }
  });
  tracker.activeCellChanged.connect(() =>
    app.commands.notifyCommandChanged(CommandIDs.toggleParametersCell)
  );
  app.contextMenu.addItem({
    command: CommandIDs.toggleParametersCell,
    selector: '.jp-Notebook .jp-CodeCell',
    rank: 20
  });
  app.docRegistry.addWidgetExtension('Notebook', {
    createNew: (panel: NotebookPanel) => {
      markParametersCells(panel);
      const button = new ToolbarButton({
        icon: jobsIcon,
        label: 'Promote to job',
        tooltip: 'Save this notebook and make it a job',
        className: 'jp-mlops-promote-button',
        onClick: () => void promote(app, panel)
      });
      panel.toolbar.insertAfter('cellType', 'mlops-promote', button);
      return button;
    }
  });
}

export const jobsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:jobs',
  description:
    'Jobs side panel (stages, schedules, runs, DAG, logs, promotion), the parameters cell and Promote to job.',
  autoStart: true,
  optional: [ILayoutRestorer, INotebookTracker, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    tracker: INotebookTracker | null,
    palette: ICommandPalette | null
  ) => {
    const model = new JobsModel();
    const panel = addSidePanel(app, restorer, 'jobs', {
      model,
      view: JobsView,
      props: {
        onPromote: to => void showPromoteStageDialog(model, to),
        onRollback: stage => void confirmRollback(model, stage),
        onSchedule: stage => void showScheduleDialog(model, stage),
        onOpenOutput: (job, runId, step) =>
          void app.commands.execute(CommandIDs.openJobOutput, {
            job,
            runId,
            step
          })
      }
    });
    model.failedRuns.connect((_, runs) => notifyFailures(app, runs));
    model.watch();

    app.commands.addCommand(CommandIDs.openJob, {
      label: 'Open Job in Jobs',
      execute: async args => {
        await showLoadedPanel(app, panel, model, async () => {
          await model.selectJob(String(args.name));
          if (args.run !== undefined && args.run !== null) {
            await model.openRun(Number(args.run));
          }
        });
      }
    });
    app.commands.addCommand(CommandIDs.openJobOutput, {
      label: 'Open the Executed Notebook of a Job Step',
      execute: args => {
        const runId = Number(args.runId);
        const step = String(args.step);
        showMainWidget(app, outputWidgetId(runId, step), () =>
          createOutputWidget(String(args.job), runId, step)
        );
      }
    });
    const category = 'MLOps';
    palette?.addItem({ command: CommandIDs.openJobs, category });
    if (tracker) {
      addNotebookCommands(app, tracker);
      palette?.addItem({ command: CommandIDs.toggleParametersCell, category });
      palette?.addItem({ command: CommandIDs.promoteNotebook, category });
    }
  }
};
