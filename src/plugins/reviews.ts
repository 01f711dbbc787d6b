/**
 * Placeholder, filled in by this change.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

export const reviewsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:reviews',
  autoStart: true,
  activate: () => undefined
};
