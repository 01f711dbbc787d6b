/**
 * The charts' plotly.js, fetched while Lab is idle: once Lab has restored its layout and
 * the browser reports an idle period, the build most charts use is loaded, once, for every
 * panel, notebook output and review page (`components/plotly.ts`). A panel's first chart
 * then costs its request and its drawing, not 1 MB of script.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

import { preloadPlotly } from '../components/plotly';

export const chartsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:charts',
  description: 'Loads plotly.js for the charts while JupyterLab is idle.',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    void app.restored.then(() => preloadPlotly());
  }
};
