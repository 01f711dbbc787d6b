/**
 * State of the Jobs panel: the jobs page (server-side name search), the selected job
 * with its stages, versions, audit trail and a page of runs, and one open run with its
 * steps and log tail. Polls while shown (runs' status and the log move by themselves);
 * a job's last run first seen failed or timed out is announced once through
 * `failedRuns` (unless the job was promoted with failure notification off). An older answer never overwrites the answer to a later request.
 */
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import {
  api,
  GateReport,
  JobDetail,
  JobRun,
  JobSummary,
  ListJobRunsResponse,
  ListJobsResponse,
  PromotionResult,
  Stage,
  StageState
} from '../api/client';
import { ApiError } from '../api/request';
import { IPageQuery, PagedListModel } from '../components/PagedListModel';
import { isActive, isFailure, newToken } from './format';

export type JobTab = 'stages' | 'runs' | 'audit' | 'run';

export { PAGE_SIZE } from '../components/PagedListModel';
export const RUNS_PAGE_SIZE = 20;
export const LOG_BYTES = 64 * 1024;
/** Jobs watched for failures while the panel is hidden. */
const WATCHED = 200;
const WATCH_MS = 10 * 1000;

/** The subset of the API the model uses (a seam for unit tests). */
export type JobsApi = typeof api.jobs;

type Request = 'detail' | 'runs' | 'run' | 'log';

export class JobsModel extends PagedListModel<ListJobsResponse, Request> {
  constructor(private readonly client: JobsApi = api.jobs) {
    super();
    this._watch = new Poll({
      factory: () => this.watchFailures(),
      frequency: { interval: WATCH_MS, backoff: true, max: 60 * 1000 },
      standby: 'when-hidden',
      auto: false
    });
  }

  detail: JobDetail | null = null;
  runsPage = 0;
  runs: ListJobRunsResponse | null = null;
  tab: JobTab = 'stages';
  run: JobRun | null = null;
  /** The step whose log is shown; null: the worker's log. */
  logStep: string | null = null;
  log: string | null = null;

  /** Runs first seen failed or timed out (after the first look), each announced once. */
  get failedRuns(): ISignal<this, JobRun[]> {
    return this._failedRuns;
  }

  /** Watch the jobs for failed runs even while the panel is hidden. */
  watch(): void {
    void this._watch.start();
  }

  dispose(): void {
    this._watch.dispose();
    super.dispose();
  }

  /** Reload the list, the selected job and the open run (what polling does). */
  async refresh(): Promise<void> {
    await this.act(() => this.reload(), true);
  }

  /** Select a job: its stages, versions, audit trail and newest runs. */
  async selectJob(name: string): Promise<void> {
    if (name !== this.name) {
      this.name = name;
      this.detail = null;
      this.runs = null;
      this.runsPage = 0;
      this.closeRun();
    }
    if (this.tab === 'run') {
      this.tab = 'stages';
    }
    this.notice = null;
    await this.act(() => this.fetchJob(name));
  }

  showTab(tab: Exclude<JobTab, 'run'>): void {
    this.tab = tab;
    this.notice = null;
    this._changed.emit();
  }

  async goToRunsPage(page: number): Promise<void> {
    const name = this.name;
    this.runsPage = Math.max(0, page);
    await this.act(() => (name ? this.fetchRuns(name) : Promise.resolve()));
  }

  /** Open a run: its steps (the DAG), then the log of its first step. */
  async openRun(runId: number): Promise<void> {
    if (this.run?.id !== runId) {
      this.closeRun();
    }
    this.tab = 'run';
    await this.act(async () => {
      await this.fetchRun(runId);
      if (this.run?.id === runId && this.logStep === null) {
        this.logStep = this.run.steps[0]?.name ?? null;
      }
      await this.fetchLog(runId);
    });
  }

  /** Show the log of one step (null: the worker's). */
  async showLog(step: string | null): Promise<void> {
    const run = this.run;
    this.logStep = step;
    this.log = null;
    this._changed.emit();
    await this.act(() => (run ? this.fetchLog(run.id) : Promise.resolve()));
  }

  back(): void {
    this.showTab('runs');
  }

  /** Start a run of `stage` now and open it. */
  async runNow(stage: Stage = 'dev'): Promise<void> {
    const name = this.name;
    if (!name) {
      return;
    }
    await this.act(async () => {
      const run = await this.client.runNow(name, { stage, token: newToken() });
      this.notice = `Run ${run.id} of ${name} (${stage}) started.`;
      await this.fetchJob(name);
      this.closeRun();
      this.tab = 'run';
      await this.fetchRun(run.id);
      this.logStep = run.steps[0]?.name ?? null;
      await this.fetchLog(run.id);
    });
  }

  async cancel(runId: number): Promise<void> {
    await this.act(async () => {
      const run = await this.client.cancel(runId);
      this.notice = `Run ${run.id}: cancel requested.`;
      await this.reload();
    });
  }

  /** Pause or resume a stage's schedule. */
  async setPaused(stage: Stage, paused: boolean): Promise<void> {
    const name = this.name;
    if (!name) {
      return;
    }
    await this.act(async () => {
      await this.client.configureStage(name, stage, { paused });
      this.notice = `${name} ${stage}: schedule ${paused ? 'paused' : 'resumed'}.`;
      await this.reload();
    });
  }

  /**
   * Set a stage's schedule (cron null: run only when started) and, if given, its
   * parameter overrides; a refusal (bad cron, unknown timezone, a parameter the
   * notebook does not declare or of the wrong type) is thrown for the dialog to show.
   */
  async setSchedule(
    stage: Stage,
    cron: string | null,
    timezone: string,
    parameters?: Record<string, unknown>
  ): Promise<StageState> {
    const name = this.name ?? '';
    const state = await this.client.configureStage(name, stage, {
      cron,
      timezone,
      ...(parameters === undefined ? {} : { parameters })
    });
    this.notice = `${name} ${stage}: ${cron ? `runs at ${cron} in ${timezone}` : 'runs only when started'}.`;
    await this.act(() => this.reload());
    return state;
  }

  /** Snapshot the job's changed notebooks as a new version. */
  async updateJob(): Promise<void> {
    const name = this.name;
    if (!name) {
      return;
    }
    await this.act(async () => {
      const version = await this.client.update(name);
      this.notice = `${name} v${version.number} created from the changed notebook.`;
      await this.reload();
    });
  }

  /** The gates between the stage below `to` and `to` (for the promote dialog). */
  gates(to: Stage): Promise<GateReport> {
    return this.client.promotion(this.name ?? '', to);
  }

  /**
   * Promote; a refusal (409: a gate failed, or someone promoted first) is thrown for the
   * dialog to show.
   */
  async promote(to: Stage): Promise<PromotionResult> {
    const name = this.name ?? '';
    const current = this.detail?.job.stages.find(s => s.stage === to);
    const result = await this.client.promote(name, to, current?.version);
    this.notice = `${name} v${result.version_to} promoted to ${to}.`;
    await this.act(() => this.reload());
    return result;
  }

  async rollback(stage: Stage): Promise<void> {
    const name = this.name;
    if (!name) {
      return;
    }
    await this.act(async () => {
      const state = await this.client.rollback(name, stage);
      this.notice = `${name} ${stage} rolled back to v${state.version}.`;
      await this.reload();
    });
  }

  private closeRun(): void {
    this.run = null;
    this.log = null;
    this.logStep = null;
    this.next('run'); // a run or log still on its way belongs to another run
    this.next('log');
    if (this.tab === 'run') {
      this.tab = 'runs';
    }
  }

  private async reload(): Promise<void> {
    const name = this.name;
    const run = this.tab === 'run' ? this.run : null;
    await Promise.all([
      this.fetchList(),
      name ? this.fetchJob(name) : Promise.resolve(),
      run ? this.fetchOpenRun(run) : Promise.resolve()
    ]);
  }

  /**
   * The open run again, and its log while it runs (once more when it ends); when it
   * ends, the list and the job's runs are read again so that they agree with it.
   */
  private async fetchOpenRun(run: JobRun): Promise<void> {
    const wasActive = isActive(run.status);
    await this.fetchRun(run.id);
    if (wasActive || this.log === null) {
      await this.fetchLog(run.id);
    }
    const name = this.name;
    if (wasActive && this.run && !isActive(this.run.status) && name) {
      await Promise.all([this.fetchList(), this.fetchJob(name)]);
    }
  }

  protected fetchPage(query: IPageQuery): Promise<ListJobsResponse> {
    return this.client.list({
      search: query.search,
      offset: query.page * query.pageSize,
      limit: query.pageSize
    });
  }

  protected onList(list: ListJobsResponse): void {
    this.noticeFailures(list.jobs);
  }

  /** The hidden panel's watch: every job's last run, for failure notifications. */
  private async watchFailures(): Promise<void> {
    if (this.polling) {
      return; // the panel's own poll sees the list
    }
    const list = await this.client.list({ limit: WATCHED });
    this.noticeFailures(list.jobs);
  }

  private noticeFailures(jobs: JobSummary[]): void {
    const failed = jobs
      .map(job => job.last_run)
      .filter((run): run is JobRun => isFailure(run))
      .filter(run => !this._announced.has(run.id));
    // A job promoted with "notify when a run fails" off is not announced.
    const announce = failed.filter(run => run.notify_on_failure);
    failed.forEach(run => this._announced.add(run.id));
    // Runs that had already failed when the panel first looked are not news.
    const seeded = this._seeded;
    this._seeded = true;
    if (seeded && announce.length > 0) {
      this._failedRuns.emit(announce);
    }
  }

  private async fetchJob(name: string): Promise<void> {
    await Promise.all([this.fetchDetail(name), this.fetchRuns(name)]);
  }

  private async fetchDetail(name: string): Promise<void> {
    const request = this.next('detail');
    const detail = await this.client.get(name);
    if (this.isLatest('detail', request) && name === this.name) {
      this.detail = detail;
    }
  }

  private async fetchRuns(name: string): Promise<void> {
    const request = this.next('runs');
    const runs = await this.client.runs(name, {
      offset: this.runsPage * RUNS_PAGE_SIZE,
      limit: RUNS_PAGE_SIZE
    });
    if (this.isLatest('runs', request) && name === this.name) {
      this.runs = runs;
    }
  }

  private async fetchRun(runId: number): Promise<void> {
    const request = this.next('run');
    const run = await this.client.run(runId);
    if (this.isLatest('run', request)) {
      this.run = run;
    }
  }

  private async fetchLog(runId: number): Promise<void> {
    const request = this.next('log');
    const step = this.logStep ?? undefined;
    let log: string;
    try {
      log = await this.client.log(runId, step, LOG_BYTES);
    } catch (error) {
      // A step that has not started has no log yet: not an error of the panel.
      if (!(error instanceof ApiError) || error.status !== 404) {
        throw error;
      }
      log = '';
    }
    if (this.isLatest('log', request) && this.run?.id === runId) {
      this.log = log;
    }
  }

  private _watch: Poll;
  private _announced = new Set<number>();
  private _seeded = false;
  private _failedRuns = new Signal<this, JobRun[]>(this);
}
