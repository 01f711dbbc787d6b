/**
 * The Serving side panel and its commands: open the panel, open an endpoint in it.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';

import { ServingModel } from '../serving/model';
import { ServingView } from '../serving/ServingView';
import { CommandIDs } from '../tokens';
import { addSidePanel, showLoadedPanel } from './shell';

export const servingPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:serving',
  description:
    'Serving side panel: endpoints, their arms and traffic, rollouts (shadow, canary, promote, abort), audit trail and latest requests.',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ) => {
    const model = new ServingModel();
    const panel = addSidePanel(app, restorer, 'serving', {
      model,
      view: ServingView,
      props: {}
    });
    app.commands.addCommand(CommandIDs.openEndpoint, {
      label: 'Open Endpoint in Serving',
      execute: async args => {
        await showLoadedPanel(app, panel, model, () =>
          model.selectEndpoint(String(args.name))
        );
      }
    });
    palette?.addItem({ command: CommandIDs.openServing, category: 'MLOps' });
  }
};
