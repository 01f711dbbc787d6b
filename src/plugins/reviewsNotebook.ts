/**
 * The notebook side of model reviews: the notebook toolbar's "Request review" (and the
 * command, also in the palette), "Register model…" for a tracked run, and opening a run's
 * notebook with the comments of its reviews beside the cells they are about.
 */
import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  Notification,
  ToolbarButton
} from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';

import { api, ModelVersionInfo } from '../api/client';
import { showRegisterModelDialog } from '../experiments/RegisterModelDialog';
import { reviewsIcon } from '../icons';
import { NotebookReviewOverlay } from '../reviews/notebookReviewOverlay';
import {
  IRequestReviewOptions,
  showRequestReviewDialog
} from '../reviews/RequestReviewDialog';
import { CommandIDs } from '../tokens';

/** The overlays of open notebooks (each disposed with its notebook). */
class Overlays {
  constructor(private readonly _app: JupyterFrontEnd) {}

  /** The overlay of `panel`, made on first use. */
  of(panel: NotebookPanel): NotebookReviewOverlay {
    let overlay = this._overlays.get(panel);
    if (!overlay || overlay.isDisposed) {
      overlay = new NotebookReviewOverlay(panel, {
        openReview: id => openReview(this._app, id)
      });
      this._overlays.set(panel, overlay);
      panel.disposed.connect(() => this._overlays.delete(panel));
    }
    return overlay;
  }

  /** Fetch the comments of `panel` now, when it has an overlay. */
  refresh(panel: NotebookPanel | null): void {
    const overlay = panel ? this._overlays.get(panel) : undefined;
    if (overlay && !overlay.isDisposed) {
      void overlay.refresh();
    }
  }

  private readonly _overlays = new Map<NotebookPanel, NotebookReviewOverlay>();
}

function openReview(app: JupyterFrontEnd, id: number): void {
  if (app.commands.hasCommand(CommandIDs.openReview)) {
    void app.commands.execute(CommandIDs.openReview, { id });
  }
}

/**
 * Open the Request review dialog (from `panel`, saved first, when given); on success
 * announce and open the review, and show its comments in the notebook later when the
 * version came from it.
 */
async function requestReview(
  app: JupyterFrontEnd,
  overlays: Overlays,
  panel: NotebookPanel | null,
  options: IRequestReviewOptions = {}
): Promise<void> {
  if (panel) {
    await panel.context.ready;
    try {
      await panel.context.save();
    } catch (error) {
      // The review is of a registered version: an unsaved notebook does not stop it.
      Notification.warning(
        `Could not save ${panel.context.path}: ${String(error)}`,
        { autoClose: 5000 }
      );
    }
  }
  const requested = await showRequestReviewDialog({
    ...options,
    notebookPath: panel?.context.path ?? null
  });
  if (!requested) {
    return;
  }
  const { review, version, fromNotebook } = requested;
  Notification.success(
    `Requested review #${review.id} of ${review.model} v${review.version}`,
    { autoClose: 5000 }
  );
  if (panel && fromNotebook && version.run_id && !panel.isDisposed) {
    void overlays.of(panel).addRun(version.run_id);
  }
  openReview(app, review.id);
}

/**
 * Save the run's source notebook when it is open with unsaved changes: registering freezes
 * the notebook file as saved, and that copy is what reviewers see.
 */
async function saveRunNotebook(
  tracker: INotebookTracker,
  runId: string
): Promise<void> {
  let path: string | null = null;
  try {
    path = (await api.tracking.getRun(runId)).run.source_notebook ?? null;
  } catch {
    return; // the dialog reports what is wrong with the run
  }
  const panel = path ? tracker.find(p => p.context.path === path) : undefined;
  if (panel?.model?.dirty) {
    try {
      await panel.context.save();
    } catch (error) {
      Notification.warning(
        `Could not save ${panel.context.path}: ${String(error)}; the version keeps the notebook as last saved.`,
        { autoClose: 8000 }
      );
    }
  }
}

function notifyRegistered(app: JupyterFrontEnd, version: ModelVersionInfo) {
  // What reviewers will see of the notebook: frozen now, or why not (then save, register again).
  const note = version.notebook_note
    ? ` Notebook: ${version.notebook_note}`
    : '';
  Notification.success(
    `Registered ${version.name} v${version.version}.${note}`,
    {
      autoClose: 8000,
      actions: [
        {
          label: 'Request review',
          caption: `Request a review of ${version.name} v${version.version}`,
          callback: () =>
            void app.commands.execute(CommandIDs.requestReview, {
              model: version.name,
              version: version.version
            })
        }
      ]
    }
  );
}

/** Open a run's notebook and show its reviews' comments there. */
async function openRunNotebook(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  overlays: Overlays,
  path: string,
  runId: string
): Promise<void> {
  const widget = await app.commands.execute('docmanager:open', { path });
  const panel =
    widget instanceof NotebookPanel
      ? widget
      : (tracker.find(p => p.context.path === path) ?? null);
  if (panel && runId) {
    await overlays.of(panel).addRun(runId);
  }
}

function addCommands(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  overlays: Overlays
): void {
  app.commands.addCommand(CommandIDs.requestReview, {
    label: 'Request Model Review…',
    caption:
      'Save this notebook and request a review of a registered model version',
    icon: reviewsIcon,
    execute: args => {
      // From a model version (the Reviews panel, a notification): no notebook to save.
      if (args.model) {
        return requestReview(app, overlays, null, {
          wanted: { model: String(args.model), version: Number(args.version) }
        });
      }
      return requestReview(app, overlays, tracker.currentWidget);
    }
  });
  app.commands.addCommand(CommandIDs.registerModel, {
    label: 'Register Model…',
    caption: "Register a run's logged model as a new model version",
    execute: async args => {
      const runId = String(args.runId ?? '');
      if (!runId) {
        return;
      }
      await saveRunNotebook(tracker, runId);
      const version = await showRegisterModelDialog({
        runId,
        runName: args.runName ? String(args.runName) : undefined
      });
      if (version) {
        notifyRegistered(app, version);
      }
    }
  });
  app.commands.addCommand(CommandIDs.openRunNotebook, {
    label: 'Open Run Notebook with Review Comments',
    execute: args =>
      openRunNotebook(
        app,
        tracker,
        overlays,
        String(args.path),
        String(args.runId ?? '')
      )
  });
}

export const reviewsNotebookPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:reviews-notebook',
  description:
    'Request review (notebook toolbar), Register model (a run), and review comments beside the cells of a run notebook.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ILabShell],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    labShell: ILabShell | null
  ) => {
    const overlays = new Overlays(app);
    addCommands(app, tracker, overlays);
    // Back on a notebook: its comments may have changed while it was away.
    if (labShell) {
      labShell.currentChanged.connect((_, change) => {
        if (change.newValue instanceof NotebookPanel) {
          overlays.refresh(change.newValue);
        }
      });
    } else {
      tracker.currentChanged.connect((_, panel) => overlays.refresh(panel));
    }
    app.docRegistry.addWidgetExtension('Notebook', {
      createNew: (panel: NotebookPanel) => {
        const button = new ToolbarButton({
          icon: reviewsIcon,
          label: 'Request review',
          tooltip:
            'Save this notebook and request a review of a registered model version',
          className: 'jp-mlops-request-review-button',
          dataset: { testid: 'mlops-request-review' },
          onClick: () => void requestReview(app, overlays, panel)
        });
        // Beside the jobs plugin's "Promote to job" when it is there.
        if (
          !panel.toolbar.insertAfter(
            'mlops-promote',
            'mlops-request-review',
            button
          )
        ) {
          panel.toolbar.insertAfter('cellType', 'mlops-request-review', button);
        }
        return button;
      }
    });
    palette?.addItem({ command: CommandIDs.requestReview, category: 'MLOps' });
  }
};
