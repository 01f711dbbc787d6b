/**
 * The typed API client, grouped by area. Wire types come from the generated schema.ts
 * (generated from the server's OpenAPI document: `npm run gen:api`).
 */
import { components } from './schema';
import { requestAPI } from './request';

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
  }
};
