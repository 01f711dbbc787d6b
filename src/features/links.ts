/**
 * What the Features panel does outside itself: open a dataset version in the Datasets
 * panel, a run in the Experiments panel, and insert a code cell into the notebook.
 */
export interface IFeatureLinks {
  openDataset: (name: string, version: string) => void;
  openRun: (runId: string) => void;
  /** Insert `code` below the active cell of the current notebook. */
  insertCell: (code: string) => void;
}
