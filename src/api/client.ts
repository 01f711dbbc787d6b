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

export type Job = Schemas['Job'];
export type JobSummary = Schemas['JobSummary'];
export type ListJobsQuery = Partial<Schemas['ListJobsQuery']>;
export type ListJobsResponse = Schemas['ListJobsResponse'];
export type JobDetail = Schemas['JobDetail'];
export type JobVersion = Schemas['JobVersion'];
export type JobSpec = Schemas['JobSpec'];
export type StepSpec = Schemas['StepSpec'];
export type JobEvent = Schemas['JobEvent'];
export type StageState = Schemas['StageState'];
export type Stage = StageState['stage'];
export type StageUpdate = Partial<Schemas['StageUpdate']>;
export type JobRun = Schemas['JobRun'];
export type RunStatus = JobRun['status'];
export type StepRun = Schemas['StepRun'];
export type StepStatus = StepRun['status'];
export type ListJobRunsQuery = Partial<Schemas['ListJobRunsQuery']>;
export type ListJobRunsResponse = Schemas['ListJobRunsResponse'];
export type RunJobRequest = Schemas['RunRequest'];
export type JobOptions = Schemas['JobOptions'];
export type PromoteRequest = Schemas['PromoteRequest'];
export type GateResult = Schemas['GateResult'];
export type GateReport = Schemas['GateReport'];
export type PromotionResult = Schemas['PromotionResult'];
export type NotebookParameter = Schemas['NotebookParameter'];
export type ParameterType = NotebookParameter['type'];
export type NotebookParameters = Schemas['NotebookParametersView'];

export type Identity = Schemas['Identity'];
export type ReviewRules = Schemas['ReviewRules'];
export type Review = Schemas['Review'];
export type ReviewStatus = Review['status'];
export type ReviewView = NonNullable<Schemas['ListReviewsQuery']['view']>;
export type ListReviewsQuery = Partial<Schemas['ListReviewsQuery']>;
export type ListReviewsResponse = Schemas['ListReviewsResponse'];
export type ReviewDetail = Schemas['ReviewDetail'];
export type ReviewComment = Schemas['Comment'];
export type CommentAnchor = Schemas['CommentAnchor'];
export type CommentBody = Schemas['CommentBody'];
export type Decision = Schemas['Decision'];
export type DecisionKind = Decision['decision'];
export type ReviewEvent = Schemas['ReviewEvent'];
export type RequestReviewBody = Schemas['RequestReviewBody'];
export type ReviewPage = Schemas['ReviewPage'];
export type VersionInfo = Schemas['VersionInfo'];
export type MetricRow = Schemas['MetricRow'];
export type MetricsSection = Schemas['MetricsSection'];
export type ParamsSection = Schemas['ParamsSection'];
export type ParamChange = Schemas['ParamChange'];
export type DatasetsSection = Schemas['DatasetsSection'];
export type DatasetComparison = Schemas['DatasetComparison'];
export type TrainingDataset = Schemas['TrainingDataset'];
export type DriftSection = Schemas['DriftSection'];
export type DriftSummary = Schemas['DriftSummary'];
export type NotebookSection = Schemas['NotebookSection'];
export type NotebookCell = Schemas['NotebookCell'];
export type NotebookRef = Schemas['NotebookRef'];
export type NotebookDiffSection = Schemas['NotebookDiffSection'];
export type CellDiff = Schemas['CellDiff'];
export type RegisteredModel = Schemas['RegisteredModel'];
export type ModelVersionInfo = Schemas['ModelVersionInfo'];
export type ListModelsResponse = Schemas['ListModelsResponse'];
export type RegisterModelBody = Schemas['RegisterModelBody'];

export type FeatureCatalog = Schemas['Catalog'];
export type FeatureEntity = Schemas['Entity'];
export type FeatureView = Schemas['FeatureView'];
export type FeatureService = Schemas['FeatureService'];
export type FeatureField = Schemas['FieldSpec'];
export type FeatureType = FeatureField['dtype'];
export type EntitySpec = Schemas['EntitySpec'];
export type FeatureViewSpec = Schemas['FeatureViewSpec'];
export type FeatureServiceSpec = Schemas['FeatureServiceSpec'];
export type FeatureViewSummary = Schemas['ViewSummary'];
export type FeatureViewDetail = Schemas['ViewDetail'];
export type FeatureStats = Schemas['FeatureStats'];
export type Freshness = Schemas['Freshness'];
export type Materialization = Schemas['Materialization'];
export type MaterializeRequest = Partial<Schemas['MaterializeRequest']>;
export type MaterializeResponse = Schemas['MaterializeResponse'];
export type FeatureUsageRun = Schemas['UsageRun'];
export type FeatureServiceDetail = Schemas['ServiceDetail'];
export type FeatureSampleRows = Schemas['SampleRows'];
export type OnlineRequest = Partial<Schemas['OnlineRequest']> &
  Pick<Schemas['OnlineRequest'], 'entities'>;
export type OnlineResult = Schemas['OnlineResult'];
export type OnlineRow = Schemas['OnlineRow'];
export type OnlineFeature = Schemas['OnlineFeature'];

export type ListEndpointsResponse = Schemas['ListEndpointsResponse'];
export type EndpointSummary = Schemas['EndpointSummary'];
export type EndpointStatus = Schemas['EndpointStatus'];
export type EndpointDetail = Schemas['EndpointDetail'];
export type TrafficFigures = Schemas['TrafficFigures'];
export type RolloutInfo = Schemas['RolloutInfo'];
export type RolloutMode = RolloutInfo['mode'];
export type RolloutRules = Schemas['RolloutRules'];
export type RolledBackInfo = Schemas['RolledBackInfo'];
export type ServingEvent = Schemas['ServingEvent'];
export type LogRow = Schemas['LogRow'];
export type DeployRequest = Partial<Schemas['DeployRequest']> &
  Pick<Schemas['DeployRequest'], 'model'>;
/** A rollout to start: the rules left out keep the server's defaults. */
export type RolloutRequest = Pick<
  Schemas['RolloutRequest'],
  'mode' | 'challenger'
> & { percent?: number; rules?: Partial<RolloutRules> };

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

/** `reviews/ID[/comments[/COMMENT]]`. */
function reviewPath(reviewId: number, commentId?: number): string {
  const base = `reviews/${reviewId}`;
  return commentId === undefined ? base : `${base}/comments/${commentId}`;
}

/** `job-runs/ID[/steps/STEP]`, the step escaped. */
function jobRunPath(runId: number, step?: string): string {
  const base = `job-runs/${runId}`;
  return step === undefined
    ? base
    : `${base}/steps/${encodeURIComponent(step)}`;
}

/** `serving/endpoints/NAME`, escaped. */
function endpointPath(name: string): string {
  return `serving/endpoints/${encodeURIComponent(name)}`;
}

/** `features/KIND/NAME`, the name escaped. */
function featurePath(kind: 'views' | 'services', name: string): string {
  return `features/${kind}/${encodeURIComponent(name)}`;
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
  },
  reviews: {
    /** `view`: open, mine (requested by me), waiting (for my decision) or all. */
    list: (query: ListReviewsQuery = {}): Promise<ListReviewsResponse> =>
      requestAPI<ListReviewsResponse>('reviews', { ...query }),
    /** Request a review of a model version under the server's review rules. */
    request: (body: RequestReviewBody): Promise<Review> =>
      sendAPI<Review>('POST', 'reviews', body),
    get: (reviewId: number): Promise<ReviewDetail> =>
      requestAPI<ReviewDetail>(reviewPath(reviewId)),
    /** The version against the champion: metrics, params, data, drift, notebook, diff. */
    page: (reviewId: number): Promise<ReviewPage> =>
      requestAPI<ReviewPage>(`${reviewPath(reviewId)}/page`),
    /** A comment on a cell (anchor), on the whole review, or a reply (parent_id). */
    comment: (reviewId: number, body: CommentBody): Promise<ReviewComment> =>
      sendAPI<ReviewComment>('POST', `${reviewPath(reviewId)}/comments`, body),
    /** Edit one's own comment (anyone else's is refused with 403). */
    editComment: (
      reviewId: number,
      commentId: number,
      body: string
    ): Promise<ReviewComment> =>
      sendAPI<ReviewComment>('PUT', reviewPath(reviewId, commentId), { body }),
    resolveComment: (
      reviewId: number,
      commentId: number,
      resolved = true
    ): Promise<ReviewComment> =>
      sendAPI<ReviewComment>(
        'POST',
        `${reviewPath(reviewId, commentId)}/resolve`,
        { resolved }
      ),
    /** Approve or request changes (a request for changes needs a note). */
    decide: (
      reviewId: number,
      decision: DecisionKind,
      note = ''
    ): Promise<Review> =>
      sendAPI<Review>('POST', `${reviewPath(reviewId)}/decisions`, {
        decision,
        note
      }),
    withdraw: (reviewId: number, note = ''): Promise<Review> =>
      sendAPI<Review>('POST', `${reviewPath(reviewId)}/withdraw`, { note })
  },
  features: {
    /** Entities, views (with their last materialization) and services; name search. */
    catalog: (search = ''): Promise<FeatureCatalog> =>
      requestAPI<FeatureCatalog>('features', { search }),
    /** A view: statistics, freshness, materializations, the runs trained on it. */
    view: (name: string): Promise<FeatureViewDetail> =>
      requestAPI<FeatureViewDetail>(featurePath('views', name)),
    /** The newest rows of a view's source. */
    viewRows: (name: string, limit = 20): Promise<FeatureSampleRows> =>
      requestAPI<FeatureSampleRows>(`${featurePath('views', name)}/rows`, {
        limit
      }),
    service: (name: string): Promise<FeatureServiceDetail> =>
      requestAPI<FeatureServiceDetail>(featurePath('services', name)),
    /** Define an entity: a new version when it changed, else the latest one. */
    defineEntity: (spec: EntitySpec): Promise<FeatureEntity> =>
      sendAPI<FeatureEntity>('POST', 'features/entities', spec),
    /** Define a view over a dataset (checked against the dataset's columns). */
    defineView: (spec: FeatureViewSpec): Promise<FeatureView> =>
      sendAPI<FeatureView>('POST', 'features/views', spec),
    /** Define a service (its `view:feature` references checked). */
    defineService: (spec: FeatureServiceSpec): Promise<FeatureService> =>
      sendAPI<FeatureService>('POST', 'features/services', spec),
    /** Write a view's (or a service's views') latest values to the online store. */
    materialize: (request: MaterializeRequest): Promise<MaterializeResponse> =>
      sendAPI<MaterializeResponse>('POST', 'features/materialize', request),
    /** Online values of a service or a view for entities (one list per join key). */
    online: (request: OnlineRequest): Promise<OnlineResult> =>
      sendAPI<OnlineResult>('POST', 'features/online', request)
  },
  serving: {
    /** Every endpoint this workspace has served, running ones first. */
    list: (): Promise<ListEndpointsResponse> =>
      requestAPI<ListEndpointsResponse>('serving/endpoints'),
    /** An endpoint's status, audit trail and latest answered requests. */
    get: (name: string): Promise<EndpointDetail> =>
      requestAPI<EndpointDetail>(endpointPath(name)),
    /** Deploy a registered model; answers once the endpoint serves (seconds). */
    deploy: (request: DeployRequest): Promise<EndpointSummary> =>
      sendAPI<EndpointSummary>('POST', 'serving/endpoints', request),
    stop: (name: string): Promise<EndpointSummary> =>
      sendAPI<EndpointSummary>('DELETE', endpointPath(name)),
    /** Start a shadow or a canary of a challenger; answers once it serves. */
    rollout: (name: string, request: RolloutRequest): Promise<EndpointStatus> =>
      sendAPI<EndpointStatus>('POST', `${endpointPath(name)}/rollout`, request),
    /** Move the alias the endpoint follows to the challenger's version. */
    promote: (name: string): Promise<EndpointStatus> =>
      sendAPI<EndpointStatus>('POST', `${endpointPath(name)}/promote`),
    abort: (name: string): Promise<EndpointStatus> =>
      sendAPI<EndpointStatus>('POST', `${endpointPath(name)}/abort`)
  },
  models: {
    /** Registered models with their versions (newest first) and aliases. */
    list: (): Promise<ListModelsResponse> =>
      requestAPI<ListModelsResponse>('models'),
    /** Register the model an MLflow run logged as a new version of `name`. */
    register: (body: RegisterModelBody): Promise<ModelVersionInfo> =>
      sendAPI<ModelVersionInfo>('POST', 'models', body)
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
