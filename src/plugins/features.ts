/**
 * The Features side panel and its commands: open the panel, and open an entity, a view
 * or a service in it (from a run's detail in Experiments).
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';

import { FeaturesView } from '../features/FeaturesView';
import { IFeatureLinks } from '../features/links';
import { FeatureKind, FeaturesModel } from '../features/model';
import { CommandIDs } from '../tokens';
import { insertBelow } from './notebookCells';
import { addSidePanel, showLoadedPanel } from './shell';

export const featuresPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:features',
  description:
    'Features side panel: catalog, view statistics and freshness, lookups, usage.',
  autoStart: true,
  optional: [ILayoutRestorer, INotebookTracker],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    tracker: INotebookTracker | null
  ) => {
    const model = new FeaturesModel();
    // The Datasets plugin registers openDatasetVersion, Experiments openRun.
    const links: IFeatureLinks = {
      openDataset: (name, version) =>
        void app.commands.execute(CommandIDs.openDatasetVersion, {
          name,
          version
        }),
      openRun: runId =>
        void app.commands.execute(CommandIDs.openRun, { runId }),
      insertCell: code => {
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
    };
    const panel = addSidePanel(app, restorer, 'features', {
      model,
      view: FeaturesView,
      props: { links }
    });
    app.commands.addCommand(CommandIDs.openFeature, {
      label: 'Open in Features',
      execute: async args => {
        await showLoadedPanel(app, panel, model, () =>
          model.select(args.kind as FeatureKind, String(args.name))
        );
      }
    });
  }
};
