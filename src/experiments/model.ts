/**
 * State of the Experiments panel: the experiments, the current runs page (server-side
 * paging, sort and MLflow filter), the selection, and the open run or comparison.
 * Polls while visible so that new runs appear without a manual reload.
 */
import { ISignal, Signal } from '@lumino/signaling';

import {
  api,
  CompareResponse,
  Experiment,
  ListRunsResponse,
  RunDetail
} from '../api/client';
import { PollingModel } from '../components/PollingModel';
import {
  DEFAULT_SORT,
  ISort,
  orderByClause,
  SortKind,
  toggleSort
} from './sort';

export type View = 'runs' | 'detail';

export const PAGE_SIZE = 50;

/** The subset of the API the model uses (a seam for unit tests). */
export type TrackingApi = typeof api.tracking;

export class ExperimentsModel extends PollingModel<'runs'> {
  constructor(private readonly client: TrackingApi = api.tracking) {
    super();
  }

  experiments: Experiment[] = [];
  experimentId: string | null = null;
  runs: ListRunsResponse | null = null;
  sort: ISort = DEFAULT_SORT;
  filter = '';
  page = 0;
  selection = new Set<string>();
  view: View = 'runs';
  detail: RunDetail | null = null;
  comparison: CompareResponse | null = null;
  /** False until the first list of experiments has arrived. */
  loaded = false;

  get experiment(): Experiment | undefined {
    return this.experiments.find(e => e.experiment_id === this.experimentId);
  }

  /** Reload experiments and the current runs page (what polling does). */
  async refresh(): Promise<void> {
    await this.act(async () => {
      const { experiments } = await this.client.listExperiments();
      this.experiments = experiments;
      this.loaded = true;
      if (
        !this.experimentId ||
        !experiments.some(e => e.experiment_id === this.experimentId)
      ) {
        this.experimentId = experiments[0]?.experiment_id ?? null;
      }
      await this.fetchRuns();
    }, true);
  }

  async selectExperiment(experimentId: string): Promise<void> {
    this.experimentId = experimentId;
    this.page = 0;
    this.selection.clear();
    this.view = 'runs';
    await this.loadRuns();
  }

  async sortBy(kind: SortKind, key: string): Promise<void> {
    this.sort = toggleSort(this.sort, kind, key);
    this.page = 0;
    await this.loadRuns();
  }

  async setFilter(filter: string): Promise<void> {
    this.filter = filter.trim();
    this.page = 0;
    await this.loadRuns();
  }

  async goToPage(page: number): Promise<void> {
    const last = this.runs
      ? Math.max(0, Math.ceil(this.runs.total / PAGE_SIZE) - 1)
      : 0;
    this.page = Math.min(Math.max(0, page), last);
    await this.loadRuns();
  }

  toggleSelected(runId: string): void {
    if (this.selection.has(runId)) {
      this.selection.delete(runId);
    } else {
      this.selection.add(runId);
    }
    this._changed.emit();
  }

  async openRun(runId: string): Promise<void> {
    await this.act(async () => {
      this.detail = await this.client.getRun(runId);
      this.view = 'detail';
      if (this.detail.run.experiment_id !== this.experimentId) {
        this.experimentId = this.detail.run.experiment_id;
        this.selection.clear();
        this.page = 0;
      }
    });
  }

  /** Fetch a comparison of runs; emits `compared` so the shell can open it. */
  async compare(runIds: string[] = [...this.selection]): Promise<void> {
    await this.act(async () => {
      this.comparison = await this.client.compare(runIds);
      this._compared.emit(this.comparison);
    });
  }

  get compared(): ISignal<this, CompareResponse> {
    return this._compared;
  }

  async back(): Promise<void> {
    this.view = 'runs';
    this.error = null;
    await this.loadRuns();
  }

  private async loadRuns(): Promise<void> {
    await this.act(() => this.fetchRuns());
  }

  private async fetchRuns(): Promise<void> {
    if (!this.experimentId) {
      this.runs = null;
      return;
    }
    // A slow answer (say, a poll's) must not overwrite the answer to a later request.
    const request = this.next('runs');
    const runs = await this.client.listRuns({
      experiment_ids: [this.experimentId],
      filter: this.filter,
      order_by: orderByClause(this.sort),
      page: this.page,
      page_size: PAGE_SIZE
    });
    if (this.isLatest('runs', request)) {
      this.runs = runs;
    }
  }

  private _compared = new Signal<this, CompareResponse>(this);
}
