/**
 * Registers the output renderers of our MIME types with the app's rendermime registry.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';

import { rendererFactories } from '../renderers';

export const renderersPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:renderers',
  description:
    'Renders %%track summaries, %mlops compare and %monitor drift outputs.',
  autoStart: true,
  requires: [IRenderMimeRegistry],
  activate: (app: JupyterFrontEnd, rendermime: IRenderMimeRegistry) => {
    for (const factory of rendererFactories(app.commands)) {
      rendermime.addFactory(factory, factory.defaultRank);
    }
  }
};
