/**
 * Placeholder, filled in by this change.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

export const reviewsNotebookPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:reviews-notebook',
  autoStart: true,
  activate: () => undefined
};
