/**
 * The Experiments side panel and its commands.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

import { createCompareWidget } from '../experiments/compareWidget';
import { ExperimentsModel } from '../experiments/model';
import { ExperimentsView, IRunLinks } from '../experiments/ExperimentsView';
import { CommandIDs } from '../tokens';
import { addSidePanel } from './shell';

export const experimentsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:experiments',
  description: 'Experiments side panel: runs, run detail, comparison.',
  autoStart: true,
  optional: [ILayoutRestorer],
  activate: (app: JupyterFrontEnd, restorer: ILayoutRestorer | null) => {
    const model = new ExperimentsModel();
    // The Datasets plugin registers openDatasetVersion, the Features plugin openFeature,
    // the reviews notebook plugin openRunNotebook and registerModel; commands are looked
    // up by id.
    const links: IRunLinks = {
      // Without the reviews notebook plugin the notebook still opens, without comments.
      openNotebook: (path, runId) =>
        void (app.commands.hasCommand(CommandIDs.openRunNotebook)
          ? app.commands.execute(CommandIDs.openRunNotebook, { path, runId })
          : app.commands.execute('docmanager:open', { path })),
      openDataset: (name, version) =>
        void app.commands.execute(CommandIDs.openDatasetVersion, {
          name,
          version
        }),
      openFeature: (kind, name) =>
        void app.commands.execute(CommandIDs.openFeature, { kind, name }),
      registerModel: (runId, runName) =>
        void app.commands.execute(CommandIDs.registerModel, { runId, runName })
    };
    model.compared.connect((_, data) => {
      const widget = createCompareWidget(
        data,
        model.experiment?.primary_metric
      );
      app.shell.add(widget, 'main', { mode: 'split-right' });
      app.shell.activateById(widget.id);
    });
    const panel = addSidePanel(app, restorer, 'experiments', {
      model,
      view: ExperimentsView,
      props: { links }
    });
    app.commands.addCommand(CommandIDs.openRun, {
      label: 'Open Run in Experiments',
      execute: async args => {
        app.shell.activateById(panel.id);
        model.start();
        // the experiments (a new run's may be new) and the run, side by side
        await Promise.all([model.refresh(), model.openRun(String(args.runId))]);
      }
    });
    app.commands.addCommand(CommandIDs.compareRuns, {
      label: 'Compare Runs',
      execute: async args => {
        await model.compare((args.runIds as string[]) ?? []);
      }
    });
  }
};
