/**
 * The typed API client, grouped by area. Wire types come from the generated schema.ts
 * (generated from the server's OpenAPI document: `npm run gen:api`).
 */
import { components } from './schema';
import { API_PREFIX, requestAPI, requestText, sendAPI } from './request';

type Schemas = components['schemas'];
export type Experiment = Schemas['Experiment'];
export type ListExperimentsResponse = Schemas['ListExperimentsResponse'];
export type ListRunsQuery = Partial<Schemas['ListRunsQuery']>;
export type ListRunsResponse = Schemas['ListRunsResponse'];
export type RunRow = Schemas['RunRow'];
export type RunDetail = Schemas['RunDetail'];
export type MetricPoint = Schemas['MetricPoint'];
export type CompareResponse = Schemas['CompareResponse'];
export type RunSummary = Schemas['RunSummary'];
export type WorkspaceInfo = Schemas['WorkspaceInfo'];
export type RunDataset = Schemas['RunDataset'];

export type ListDatasetsQuery = Partial<Schemas['ListDatasetsQuery']>;
export type ListDatasetsResponse = Schemas['ListDatasetsResponse'];
export type DatasetSummary = Schemas['DatasetSummary'];
export type DatasetDetail = Schemas['DatasetDetail'];
export type DatasetVersion = Schemas['DatasetVersion'];
export type ColumnStats = Schemas['ColumnStats'];
export type VersionDetail = Schemas['VersionDetail'];
export type LineageRun = Schemas['LineageRun'];
export type FolderFile = Schemas['FolderFile'];
export type RowsQuery = Partial<Schemas['RowsQuery']>;
export type RowsPage = Schemas['RowsPage'];
export type DatasetDiff = Schemas['DatasetDiff'];
export type StatShift = Schemas['StatShift'];
export type Check = Schemas['Check'];
export type CheckKind = Check['kind'];
export type DatasetChecks = Schemas['DatasetChecks'];
export type CheckReport = Schemas['CheckReport'];
export type CheckResult = Schemas['CheckResult'];

export type ListMonitorsQuery = Partial<Schemas['ListMonitorsQuery']>;
export type ListMonitorsResponse = Schemas['ListMonitorsResponse'];
export type MonitorStatus = Schemas['MonitorStatus'];
export type MonitorDetail = Schemas['MonitorDetail'];
export type Rule = Schemas['Rule'];
export type PointsQuery = Partial<Schemas['PointsQuery']>;
export type PointsPage = Schemas['PointsPage'];
export type PointRow = Schemas['PointRow'];
export type ColumnSeries = Schemas['ColumnSeries'];
export type QualitySeries = Schemas['QualitySeries'];
export type PointDetail = Schemas['PointDetail'];
export type ColumnDrift = Schemas['ColumnDrift'];
export type ColumnDistribution = Schemas['ColumnDistribution'];
export type ModelQuality = Schemas['ModelQuality'];
export type Alert = Schemas['Alert'];
export type ListAlertsQuery = Partial<Schemas['ListAlertsQuery']>;
export type ListAlertsResponse = Schemas['ListAlertsResponse'];
export type DriftCheck = Schemas['DriftCheck'];

// Jobs: written against the jobs contract until the generated schema has them.
// TODO(jobs): replace this block with Schemas['…'] aliases once schema.ts is regenerated.
export type Stage = 'dev' | 'staging' | 'prod';
export type RunStatus =
  'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed_out';
export type StepStatus = RunStatus | 'pending' | 'skipped';
export type ParameterType =
  'int' | 'float' | 'str' | 'bool' | 'list' | 'dict' | 'None' | 'any';
export type StageState = {
  stage: Stage;
  version: number | null;
  cron: string | null;
  timezone: string;
  parameters: Record<string, unknown>;
  paused: boolean;
  next_fire_at: string | null;
  updated_at: string;
};
export type StepSpec = {
  name: string;
  notebook: string;
  notebook_object: string;
  parameters: Record<string, unknown>;
  inputs: Record<string, string>;
  depends_on: string[];
  kernel: string | null;
};
export type JobSpec = {
  steps: StepSpec[];
  kernel: string | null;
  timeout_s: number | null;
  retries: number;
  retry_backoff_s: number;
  notify_on_failure: boolean;
};
export type JobVersion = {
  job: string;
  number: number;
  spec: JobSpec;
  created_by: string;
  created_at: string;
};
export type StepRun = {
  name: string;
  status: StepStatus;
  attempt: number;
  started_at: string | null;
  finished_at: string | null;
  kernel_started_at: string | null;
  error: string | null;
  failed_cell: number | null;
  notebook_object: string | null;
  html_object: string | null;
  log_object: string | null;
  outputs: Record<string, unknown>;
};
export type JobRun = {
  id: number;
  job: string;
  version: number;
  stage: Stage;
  trigger: 'manual' | 'schedule' | 'alert';
  status: RunStatus;
  attempt: number;
  max_attempts: number;
  parameters: Record<string, unknown>;
  scheduled_for: string | null;
  created_at: string;
  created_by: string;
  not_before: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  cancel_requested: boolean;
  mlflow_run_ids: string[];
  steps: StepRun[];
};
export type Job = {
  name: string;
  missed_policy: 'skip' | 'run_once';
  created_by: string;
  created_at: string;
  latest_version: number;
  stages: StageState[];
};
export type JobSummary = {
  name: string;
  latest_version: number;
  missed_policy: 'skip' | 'run_once';
  stages: StageState[];
  last_run: JobRun | null;
  notebook_changed: boolean;
};
export type ListJobsQuery = {
  search?: string;
  offset?: number;
  limit?: number;
};
export type ListJobsResponse = {
  jobs: JobSummary[];
  total: number;
};
export type JobEvent = {
  id: number;
  job: string;
  at: string;
  by: string;
  action: string;
  stage: Stage | null;
  version_from: number | null;
  version_to: number | null;
  detail: Record<string, unknown>;
};
export type JobDetail = {
  job: Job;
  versions: JobVersion[];
  events: JobEvent[];
  changed_steps: string[];
};
export type ListJobRunsQuery = {
  stage?: Stage;
  offset?: number;
  limit?: number;
};
export type ListJobRunsResponse = {
  runs: JobRun[];
  total: number;
};
export type JobOptions = {
  kernel?: string | null;
  timeout_s?: number | null;
  retries?: number;
  retry_backoff_s?: number;
  notify_on_failure?: boolean;
};
export type PromoteRequest = {
  notebook: string;
  name?: string | null;
  parameters: Record<string, unknown>;
  cron?: string | null;
  timezone: string;
  options: JobOptions;
};
export type StageUpdate = {
  cron?: string | null;
  timezone?: string;
  parameters?: Record<string, unknown>;
  paused?: boolean;
};
export type RunJobRequest = {
  stage?: Stage;
  parameters?: Record<string, unknown>;
  token?: string | null;
};
export type GateResult = {
  name: string;
  passed: boolean;
  reason: string;
};
export type GateReport = {
  job: string;
  from_stage: Stage;
  to_stage: Stage;
  version: number | null;
  gates: GateResult[];
  allowed: boolean;
};
export type PromotionResult = {
  job: string;
  stage: Stage;
  version_from: number | null;
  version_to: number;
  gates: GateResult[];
};
export type NotebookParameter = {
  name: string;
  type: ParameterType;
  default?: unknown;
  source?: string;
  help?: string;
};
export type NotebookParameters = {
  path: string;
  has_parameters_cell: boolean;
  parameters: NotebookParameter[];
};

/** `datasets/NAME[/versions/VERSION]`, each part escaped. */
function datasetPath(name: string, version?: string): string {
  const base = `datasets/${encodeURIComponent(name)}`;
  return version === undefined
    ? base
    : `${base}/versions/${encodeURIComponent(version)}`;
}

/** `monitors/NAME[/points[/POINT]]`, each part escaped. */
function monitorPath(name: string, point?: number): string {
  const base = `monitors/${encodeURIComponent(name)}`;
  return point === undefined ? base : `${base}/points/${point}`;
}

/** `jobs/NAME`, escaped. */
function jobPath(name: string): string {
  return `jobs/${encodeURIComponent(name)}`;
}

/** `job-runs/ID[/steps/STEP]`, the step escaped. */
function jobRunPath(runId: number, step?: string): string {
  const base = `job-runs/${runId}`;
  return step === undefined
    ? base
    : `${base}/steps/${encodeURIComponent(step)}`;
}

export const api = {
  info: (): Promise<WorkspaceInfo> => requestAPI<WorkspaceInfo>('info'),
  tracking: {
    listExperiments: (): Promise<ListExperimentsResponse> =>
      requestAPI<ListExperimentsResponse>('experiments'),
    listRuns: (query: ListRunsQuery): Promise<ListRunsResponse> =>
      requestAPI<ListRunsResponse>('runs', { ...query }),
    getRun: (runId: string): Promise<RunDetail> =>
      requestAPI<RunDetail>(`runs/${encodeURIComponent(runId)}`),
    compare: (runIds: string[]): Promise<CompareResponse> =>
      requestAPI<CompareResponse>('compare', { run_ids: runIds })
  },
  datasets: {
    list: (query: ListDatasetsQuery = {}): Promise<ListDatasetsResponse> =>
      requestAPI<ListDatasetsResponse>('datasets', { ...query }),
    get: (name: string): Promise<DatasetDetail> =>
      requestAPI<DatasetDetail>(datasetPath(name)),
    /** `version`: v3, a tag, or a hash prefix. */
    getVersion: (name: string, version: string): Promise<VersionDetail> =>
      requestAPI<VersionDetail>(datasetPath(name, version)),
    rows: (
      name: string,
      version: string,
      query: RowsQuery = {}
    ): Promise<RowsPage> =>
      requestAPI<RowsPage>(`${datasetPath(name, version)}/rows`, { ...query }),
    diff: (
      name: string,
      a: string,
      b: string,
      key: string[] = []
    ): Promise<DatasetDiff> =>
      requestAPI<DatasetDiff>(`${datasetPath(name)}/diff`, { a, b, key }),
    /** Replace the dataset's checks (they run on every later save). */
    putChecks: (name: string, checks: Check[]): Promise<DatasetChecks> =>
      sendAPI<DatasetChecks>('PUT', `${datasetPath(name)}/checks`, {
        checks
      }),
    /** Run the dataset's checks on a version now and record the report. */
    runChecks: (name: string, version: string): Promise<CheckReport> =>
      sendAPI<CheckReport>('POST', `${datasetPath(name, version)}/check`)
  },
  monitoring: {
    list: (query: ListMonitorsQuery = {}): Promise<ListMonitorsResponse> =>
      requestAPI<ListMonitorsResponse>('monitors', { ...query }),
    get: (name: string): Promise<MonitorDetail> =>
      requestAPI<MonitorDetail>(monitorPath(name)),
    /** Page 0 holds the newest points; each page lists its points oldest first. */
    points: (name: string, query: PointsQuery = {}): Promise<PointsPage> =>
      requestAPI<PointsPage>(`${monitorPath(name)}/points`, { ...query }),
    point: (name: string, pointId: number): Promise<PointDetail> =>
      requestAPI<PointDetail>(monitorPath(name, pointId)),
    alerts: (query: ListAlertsQuery = {}): Promise<ListAlertsResponse> =>
      requestAPI<ListAlertsResponse>('alerts', { ...query }),
    /** Acknowledge an open alert as the signed-in user (a 409 says who already did). */
    acknowledge: (alertId: number): Promise<Alert> =>
      sendAPI<Alert>('POST', `alerts/${alertId}/acknowledge`)
  },
  jobs: {
    list: (query: ListJobsQuery = {}): Promise<ListJobsResponse> =>
      requestAPI<ListJobsResponse>('jobs', { ...query }),
    get: (name: string): Promise<JobDetail> =>
      requestAPI<JobDetail>(jobPath(name)),
    /** Promote a notebook to a new job (version 1, in dev). */
    create: (request: PromoteRequest): Promise<Job> =>
      sendAPI<Job>('POST', 'jobs', request),
    /** Snapshot the job's changed notebooks as a new version. */
    update: (name: string): Promise<JobVersion> =>
      sendAPI<JobVersion>('POST', `${jobPath(name)}/versions`),
    configureStage: (
      name: string,
      stage: Stage,
      update: StageUpdate
    ): Promise<StageState> =>
      sendAPI<StageState>('PUT', `${jobPath(name)}/stages/${stage}`, update),
    runs: (
      name: string,
      query: ListJobRunsQuery = {}
    ): Promise<ListJobRunsResponse> =>
      requestAPI<ListJobRunsResponse>(`${jobPath(name)}/runs`, { ...query }),
    /** Start a run now; the same token never starts a second run. */
    runNow: (name: string, request: RunJobRequest): Promise<JobRun> =>
      sendAPI<JobRun>('POST', `${jobPath(name)}/runs`, request),
    run: (runId: number): Promise<JobRun> =>
      requestAPI<JobRun>(jobRunPath(runId)),
    /** The end of a run's log (one step's, or the worker's). */
    log: (runId: number, step?: string, maxBytes = 65536): Promise<string> =>
      requestText(`${jobRunPath(runId)}/log`, { step, max_bytes: maxBytes }),
    cancel: (runId: number): Promise<JobRun> =>
      sendAPI<JobRun>('POST', `${jobRunPath(runId)}/cancel`),
    promotion: (name: string, to: Stage): Promise<GateReport> =>
      requestAPI<GateReport>(`${jobPath(name)}/promotion`, { to }),
    promote: (
      name: string,
      to: Stage,
      expectedVersion?: number | null
    ): Promise<PromotionResult> =>
      sendAPI<PromotionResult>('POST', `${jobPath(name)}/promote`, {
        to,
        expected_version: expectedVersion ?? null
      }),
    rollback: (name: string, stage: Stage): Promise<StageState> =>
      sendAPI<StageState>('POST', `${jobPath(name)}/rollback`, { stage }),
    notebookParameters: (path: string): Promise<NotebookParameters> =>
      requestAPI<NotebookParameters>('notebook-parameters', { path })
  }
};

/** The URL (under the Jupyter base URL) serving a point's Evidently report. */
export function reportUrl(name: string, pointId: number): string {
  return `${API_PREFIX}/${monitorPath(name, pointId)}/report`;
}

/** The URL (under the Jupyter base URL) serving a run step's executed notebook as HTML. */
export function stepHtmlUrl(runId: number, step: string): string {
  return `${API_PREFIX}/${jobRunPath(runId, step)}/html`;
}
