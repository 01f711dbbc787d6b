/**
 * The Datasets side panel and its commands: open the panel, open a dataset version, and
 * insert a cell loading a version into the current notebook.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';

import { loadCellCode } from '../datasets/loadCell';
import { DatasetsModel } from '../datasets/model';
import { DatasetsView } from '../datasets/DatasetsView';
import { CommandIDs } from '../tokens';
import { insertBelow } from './notebookCells';
import { addSidePanel, showLoadedPanel } from './shell';

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
    const panel = addSidePanel(app, restorer, 'datasets', {
      model,
      view: DatasetsView,
      props: {
        onOpenRun: runId =>
          void app.commands.execute(CommandIDs.openRun, { runId }),
        onInsertLoad: (name, version) =>
          void app.commands.execute(CommandIDs.insertDatasetLoad, {
            name,
            version
          })
      }
    });
    app.commands.addCommand(CommandIDs.openDatasetVersion, {
      label: 'Open Dataset Version in Datasets',
      execute: async args => {
        await showLoadedPanel(app, panel, model, async () => {
          await model.selectDataset(String(args.name));
          if (args.version) {
            await model.openVersion(String(args.version));
          }
        });
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
