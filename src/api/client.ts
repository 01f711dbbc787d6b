/**
 * The typed API client, grouped by area. Wire types come from the generated schema.ts
 * (generated from the server's OpenAPI document: `npm run gen:api`).
 */
import { components } from './schema';
import { API_PREFIX, requestAPI, sendAPI } from './request';

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
  }
};

/** The URL (under the Jupyter base URL) serving a point's Evidently report. */
export function reportUrl(name: string, pointId: number): string {
  return `${API_PREFIX}/${monitorPath(name, pointId)}/report`;
}
