/**
 * The papermill `parameters` cell of a notebook: toggling its tag, and marking the cells
 * that carry it (a `parameters` label under their prompt) while the notebook is open.
 */
import type { Cell } from '@jupyterlab/cells';
import { NotebookPanel } from '@jupyterlab/notebook';

export const PARAMETERS_TAG = 'parameters';
const MARK_CLASS = 'jp-mlops-parameters-cell';

/** A cell's tags (a copy; none when it has no list of tags). */
export function tagsOf(cell: Cell): string[] {
  const tags = cell.model.getMetadata('tags');
  return Array.isArray(tags) ? [...(tags as string[])] : [];
}

/** Add the `parameters` tag to a cell, or take it away; whether it has it now. */
export function toggleParameters(cell: Cell): boolean {
  const tags = tagsOf(cell);
  const had = tags.includes(PARAMETERS_TAG);
  const next = had
    ? tags.filter(t => t !== PARAMETERS_TAG)
    : [...tags, PARAMETERS_TAG];
  if (next.length) {
    cell.model.setMetadata('tags', next);
  } else {
    cell.model.deleteMetadata('tags');
  }
  return !had;
}

/** Keep the parameters cells of an open notebook marked as their tags change. */
export function markParametersCells(panel: NotebookPanel): void {
  const watched = new WeakSet<object>();
  const update = () => {
    for (const cell of panel.content.widgets) {
      if (!watched.has(cell.model)) {
        watched.add(cell.model);
        cell.model.metadataChanged.connect(update);
      }
      cell.toggleClass(MARK_CLASS, tagsOf(cell).includes(PARAMETERS_TAG));
    }
  };
  const watchModel = () => {
    panel.content.model?.cells.changed.connect(() =>
      requestAnimationFrame(update)
    );
    update();
  };
  panel.content.modelChanged.connect(watchModel);
  void panel.context.ready.then(watchModel);
}
