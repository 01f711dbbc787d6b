/**
 * Command ids and MIME types shared by the plugins, the panels and the renderers.
 */
export namespace CommandIDs {
  export const openExperiments = 'mlops:open-experiments';
  export const openRun = 'mlops:open-run';
  export const compareRuns = 'mlops:compare-runs';
  export const openDatasets = 'mlops:open-datasets';
  /** Args: {name, version} (version: v3, a tag or a hash prefix; latest if absent). */
  export const openDatasetVersion = 'mlops:open-dataset-version';
  /** Args: {name, version}: a `%dataset load NAME@VERSION` cell below the active cell. */
  export const insertDatasetLoad = 'mlops:insert-dataset-load';
  export const openMonitoring = 'mlops:open-monitoring';
  /** Args: {name, point?}: a monitor in the Monitoring panel (and one of its points). */
  export const openMonitor = 'mlops:open-monitor';
  /** Args: {name, point}: Evidently's report of a point in a main-area tab. */
  export const openMonitorReport = 'mlops:open-monitor-report';
  export const openJobs = 'mlops:open-jobs';
  /** Args: {name, run?}: a job in the Jobs panel (and one of its runs). */
  export const openJob = 'mlops:open-job';
  /** Args: {job, runId, step}: a run step's executed notebook, read-only, in a tab. */
  export const openJobOutput = 'mlops:open-job-output';
  /** Toggle the papermill `parameters` tag of the active notebook cell. */
  export const toggleParametersCell = 'mlops:toggle-parameters-cell';
  /** Save the current notebook and open the Promote to job dialog. */
  export const promoteNotebook = 'mlops:promote-notebook';
  export const openReviews = 'mlops:open-reviews';
  /** Args: {id}: a review's page in a main-area tab. */
  export const openReview = 'mlops:open-review';
  /** Save the current notebook and open the Request review dialog. */
  export const requestReview = 'mlops:request-review';
  /** Args: {runId}: the Register model dialog for a tracked run. */
  export const registerModel = 'mlops:register-model';
  /** Args: {path, runId}: open a run's notebook with its reviews' comments beside cells. */
  export const openRunNotebook = 'mlops:open-run-notebook';
  export const openFeatures = 'mlops:open-features';
  /** Args: {kind: 'view' | 'service' | 'entity', name}: one in the Features panel. */
  export const openFeature = 'mlops:open-feature';
  export const openServing = 'mlops:open-serving';
  /** Args: {name}: an endpoint in the Serving panel. */
  export const openEndpoint = 'mlops:open-endpoint';
}

/** MIME type of the summary a `%%track` cell ends with (payload: RunSummary). */
export const RUN_MIME = 'application/vnd.jupyter-mlops.run+json';

/** MIME type of a `%monitor drift` check (payload: DriftCheck). */
export const DRIFT_MIME = 'application/vnd.jupyter-mlops.drift+json';

/** MIME type of `%mlops compare` (payload: CompareResponse). */
export const COMPARE_MIME = 'application/vnd.jupyter-mlops.compare+json';

/** Id of the Experiments side panel (also its layout-restorer key). */
export const EXPERIMENTS_PANEL_ID = 'jp-mlops-experiments';

/** Id of the Datasets side panel (also its layout-restorer key). */
export const DATASETS_PANEL_ID = 'jp-mlops-datasets';

/** Id of the Monitoring side panel (also its layout-restorer key). */
export const MONITORING_PANEL_ID = 'jp-mlops-monitoring';

/** Id of the Jobs side panel (also its layout-restorer key). */
export const JOBS_PANEL_ID = 'jp-mlops-jobs';

/** Id of the Reviews side panel (also its layout-restorer key). */
export const REVIEWS_PANEL_ID = 'jp-mlops-reviews';

/** Id of the Features side panel (also its layout-restorer key). */
export const FEATURES_PANEL_ID = 'jp-mlops-features';

/** Id of the Serving side panel (also its layout-restorer key). */
export const SERVING_PANEL_ID = 'jp-mlops-serving';
