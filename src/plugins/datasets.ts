/**
 * The Datasets side panel and its commands: open the panel, open a dataset version, and
 * insert a cell loading a version into the current notebook.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';

import { loadCellCode } from '../datasets/loadCell';
import { DatasetsModel } from '../datasets/model';
import { DatasetsPanel } from '../datasets/widget';
import { datasetsIcon } from '../icons';
import { CommandIDs } from '../tokens';

/** Insert `code` as a code cell below the active cell; the notebook's path, or null. */
function insertBelow(
  tracker: INotebookTracker | null,
  code: string
): string | null {
  const panel = tracker?.currentWidget;
  if (!panel) {
    return null;
  }
  const notebook = panel.content;
  NotebookActions.insertBelow(notebook);
  NotebookActions.changeCellType(notebook, 'code');
  notebook.activeCell?.model.sharedModel.setSource(code);
  return panel.context.path;
}

export const datasetsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:datasets',
  description:
    'Datasets side panel: versions, statistics, rows, diff, checks, lineage.',
  autoStart: true,
  optional: [ILayoutRestorer, INotebookTracker],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    tracker: INotebookTracker | null
  ) => {
    const model = new DatasetsModel();
    const panel = new DatasetsPanel(model, {
      openRun: runId =>
        void app.commands.execute(CommandIDs.openRun, { runId }),
      insertLoad: (name, version) =>
        void app.commands.execute(CommandIDs.insertDatasetLoad, {
          name,
          version
        })
    });
    panel.title.icon = datasetsIcon;
    app.shell.add(panel, 'left', { rank: 610 });
    restorer?.add(panel, panel.id);

    app.commands.addCommand(CommandIDs.openDatasets, {
      label: 'Open Datasets',
      caption: 'Show the Datasets panel',
      execute: () => app.shell.activateById(panel.id)
    });
    app.commands.addCommand(CommandIDs.openDatasetVersion, {
      label: 'Open Dataset Version in Datasets',
      execute: async args => {
        app.shell.activateById(panel.id);
        await model.selectDataset(String(args.name));
        if (!model.loaded) {
          await model.refresh();
        }
        if (args.version) {
          await model.openVersion(String(args.version));
        }
      }
    });
    app.commands.addCommand(CommandIDs.insertDatasetLoad, {
      label: 'Insert Dataset Load Cell',
      caption: 'Insert a %dataset load cell below the active notebook cell',
      execute: args => {
        const code = loadCellCode(String(args.name), String(args.version));
        const path = insertBelow(tracker, code);
        if (path === null) {
          model.note(
            null,
            `Open a notebook first: "${code}" goes below its active cell.`
          );
          return;
        }
        model.note(`Inserted "${code}" in ${path}.`);
      }
    });
  }
};
