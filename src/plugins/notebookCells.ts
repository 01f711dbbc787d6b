/**
 * Inserting code into the current notebook, shared by the panels that write cells for
 * the user (a dataset load, a training set, a lookup).
 */
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';

/** Insert `code` as a code cell below the active cell; the notebook's path, or null. */
export function insertBelow(
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
