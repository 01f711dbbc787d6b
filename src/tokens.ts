/**
 * Command ids and MIME types shared by the plugins, the panels and the renderers.
 */
export namespace CommandIDs {
  export const openExperiments = 'mlops:open-experiments';
  export const openRun = 'mlops:open-run';
  export const compareRuns = 'mlops:compare-runs';
}

/** MIME type of the summary a `%%track` cell ends with (payload: RunSummary). */
export const RUN_MIME = 'application/vnd.jupyter-mlops.run+json';

/** MIME type of `%mlops compare` (payload: CompareResponse). */
export const COMPARE_MIME = 'application/vnd.jupyter-mlops.compare+json';

/** Id of the Experiments side panel (also its layout-restorer key). */
export const EXPERIMENTS_PANEL_ID = 'jp-mlops-experiments';
