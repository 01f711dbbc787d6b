/**
 * The Jobs panel model, against a route table standing in for the server: the one
 * request module is mocked, so the typed client's paths, queries and bodies are checked
 * too.
 */
import {
  JobDetail,
  JobRun,
  JobSummary,
  ListJobsResponse,
  StageState
} from '../api/client';
import { JobsModel, LOG_BYTES, PAGE_SIZE, RUNS_PAGE_SIZE } from '../jobs/model';

import { ApiError } from '../api/request';

import { Handler, serve } from './serveRoutes';

jest.mock('../api/request', () =>
  jest.requireActual('./mockedRequest').mocked()
);

function stage(name: StageState['stage'], version: number | null): StageState {
  return {
    stage: name,
    version,
    cron: name === 'dev' ? '0 6 * * *' : null,
    timezone: 'Europe/Paris',
    parameters: {},
    paused: false,
    next_fire_at: name === 'dev' ? '2026-11-24T05:00:00' : null,
    updated_at: '2026-11-23T10:00:00'
  };
}

function run(id: number, status: JobRun['status'], job = 'train'): JobRun {
  return {
    id,
    job,
    version: 1,
    stage: 'dev',
    trigger: 'manual',
    status,
    attempt: 1,
    max_attempts: 1,
    parameters: {},
    scheduled_for: null,
    created_at: '2026-11-23T10:00:00',
    created_by: 'ann',
    not_before: '2026-11-23T10:00:00',
    started_at: '2026-11-23T10:00:01',
    finished_at: status === 'running' ? null : '2026-11-23T10:00:09',
    error: status === 'failed' ? 'ValueError: boom' : null,
    cancel_requested: false,
    mlflow_run_ids: [],
    notify_on_failure: true,
    steps: [
      {
        name: 'train',
        status: status === 'queued' ? 'pending' : status,
        attempt: 1,
        started_at: null,
        finished_at: null,
        kernel_started_at: null,
        error: null,
        failed_cell: null,
        notebook_object: null,
        html_object: null,
        log_object: null,
        outputs: {}
      }
    ]
  };
}

function summary(name: string, lastRun: JobRun | null): JobSummary {
  return {
    name,
    latest_version: 1,
    missed_policy: 'skip',
    stages: [stage('dev', 1), stage('staging', null), stage('prod', null)],
    last_run: lastRun,
    notebook_changed: false
  };
}

function jobs(...list: JobSummary[]): ListJobsResponse {
  return { jobs: list, total: list.length };
}

const DETAIL: JobDetail = {
  job: {
    name: 'train',
    missed_policy: 'skip',
    created_by: 'ann',
    created_at: '2026-11-23T09:00:00',
    latest_version: 1,
    stages: [stage('dev', 1), stage('staging', 1), stage('prod', null)]
  },
  versions: [],
  events: [],
  changed_steps: []
};

/** The job `train` with no runs, its list, and the routes a test adds. */
function trainRoutes(routes: Record<string, Handler>): Record<string, Handler> {
  return {
    'GET jobs': () => jobs(summary('train', null)),
    'GET jobs/train': () => DETAIL,
    'GET jobs/train/runs': () => ({ runs: [], total: 0 }),
    ...routes
  };
}

function last<T>(items: T[]): T {
  return items[items.length - 1];
}

afterEach(() => jest.resetAllMocks());

describe('JobsModel', () => {
  it('lists jobs by page and name search, and loads the selected job', async () => {
    const calls = serve({
      // One job on this page of three.
      'GET jobs': () => ({
        ...jobs(summary('train', null)),
        total: 3 * PAGE_SIZE
      }),
      'GET jobs/my%20job': () => ({
        ...DETAIL,
        job: { ...DETAIL.job, name: 'my job' }
      }),
      'GET jobs/my%20job/runs': () => ({
        runs: [run(3, 'succeeded')],
        total: 1
      })
    });
    const model = new JobsModel();
    await model.refresh();
    expect(model.loaded).toBe(true);
    expect(calls[0]).toEqual({
      route: 'GET jobs',
      query: { search: '', offset: 0, limit: PAGE_SIZE },
      body: undefined
    });
    await model.goToPage(2);
    expect(last(calls).query.offset).toBe(2 * PAGE_SIZE);

    await model.selectJob('my job');
    expect(model.detail?.job.name).toBe('my job');
    expect(model.runs?.total).toBe(1);
    expect(calls.map(c => c.route)).toContain('GET jobs/my%20job/runs');
    expect(
      calls.find(c => c.route === 'GET jobs/my%20job/runs')!.query
    ).toEqual({ offset: 0, limit: RUNS_PAGE_SIZE });
    expect(model.error).toBeNull();
    model.dispose();
  });

  it('follows an open run and its log while it runs, then stops reading the log', async () => {
    let status: JobRun['status'] = 'running';
    let log = 'cell 1\n';
    const calls = serve({
      'GET jobs': () => jobs(summary('train', run(7, status))),
      'GET jobs/train': () => DETAIL,
      'GET jobs/train/runs': () => ({ runs: [run(7, status)], total: 1 }),
      'GET job-runs/7': () => run(7, status),
      'GET job-runs/7/log': () => log
    });
    const model = new JobsModel();
    await model.selectJob('train');
    await model.openRun(7);
    expect(model.tab).toBe('run');
    expect(model.logStep).toBe('train');
    expect(model.log).toBe('cell 1\n');
    expect(calls.find(c => c.route === 'GET job-runs/7/log')!.query).toEqual({
      step: 'train',
      max_bytes: LOG_BYTES
    });

    log = 'cell 1\ncell 2\n';
    status = 'succeeded';
    const lists = () => calls.filter(c => c.route === 'GET jobs').length;
    const listsBefore = lists();
    await model.refresh();
    // the run ended: the list is read once more after it, so both agree
    expect(lists()).toBe(listsBefore + 2);
    expect(model.run?.status).toBe('succeeded');
    expect(model.log).toBe('cell 1\ncell 2\n');
    expect(model.list?.jobs[0].last_run?.status).toBe('succeeded');
    expect(model.runs?.runs[0].status).toBe('succeeded');

    const logReads = () =>
      calls.filter(c => c.route === 'GET job-runs/7/log').length;
    const before = logReads();
    await model.refresh();
    expect(logReads()).toBe(before); // a finished run's log no longer moves

    await model.showLog(null); // the worker's log
    expect(last(calls).query).toEqual({
      step: undefined,
      max_bytes: LOG_BYTES
    });
    model.back();
    expect(model.tab).toBe('runs');
    model.dispose();
  });

  it('announces a failed last run once, not the failures already there', async () => {
    let list = jobs(
      summary('old', run(1, 'failed', 'old')),
      summary('train', run(2, 'running'))
    );
    serve({ 'GET jobs': () => list });
    const model = new JobsModel();
    const announced: number[][] = [];
    model.failedRuns.connect((_, runs) => announced.push(runs.map(r => r.id)));

    await model.refresh();
    expect(announced).toEqual([]); // run 1 had failed before Lab looked

    list = jobs(
      summary('old', run(1, 'failed', 'old')),
      summary('train', run(2, 'timed_out'))
    );
    await model.refresh();
    expect(announced).toEqual([[2]]);

    await model.refresh();
    expect(announced).toEqual([[2]]); // once per run

    list = jobs(
      summary('old', run(1, 'failed', 'old')),
      summary('train', run(3, 'succeeded')),
      summary('etl', run(4, 'failed', 'etl')),
      summary('quiet', {
        ...run(6, 'failed', 'quiet'),
        notify_on_failure: false
      })
    );
    await model.refresh();
    expect(announced).toEqual([[2], [4]]); // not the job that asked for quiet
    model.dispose();
  });

  it('watches for failures while the panel is hidden, sharing what it saw', async () => {
    let list = jobs(summary('old', run(1, 'failed', 'old')));
    const calls = serve({ 'GET jobs': () => list });
    const model = new JobsModel();
    const announced: number[][] = [];
    model.failedRuns.connect((_, runs) => announced.push(runs.map(r => r.id)));
    model.watch(); // the panel is not shown: its own poll is stopped
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(calls[0]).toEqual({
      route: 'GET jobs',
      query: { limit: 200 },
      body: undefined
    });
    expect(announced).toEqual([]);
    list = jobs(
      summary('old', run(1, 'failed', 'old')),
      summary('etl', run(5, 'failed', 'etl'))
    );
    await model.refresh();
    expect(announced).toEqual([[5]]);
    model.dispose();
  });

  it('runs now with a fresh token each click and opens the run', async () => {
    const calls = serve({
      'GET jobs/train': () => DETAIL,
      'GET jobs/train/runs': () => ({ runs: [], total: 0 }),
      'POST jobs/train/runs': (_, body) => ({
        ...run(9, 'running'),
        stage: body.stage
      }),
      'GET job-runs/9': () => run(9, 'running')
    });
    const model = new JobsModel();
    await model.selectJob('train');
    await model.runNow('staging');
    await model.runNow('staging');
    const posts = calls.filter(c => c.route === 'POST jobs/train/runs');
    expect(posts).toHaveLength(2);
    expect(posts[0].body.stage).toBe('staging');
    expect(posts[0].body.token).toMatch(/^[0-9a-f]{32}$/);
    expect(posts[1].body.token).not.toBe(posts[0].body.token);
    expect(model.tab).toBe('run');
    expect(model.run?.id).toBe(9);
    expect(model.notice).toBe('Run 9 of train (staging) started.');
    expect(model.log).toBe(''); // no log yet (404): not an error
    expect(model.error).toBeNull();
    model.dispose();
  });

  it("shows the server's message when an action is refused", async () => {
    serve({
      'GET jobs/train': () => DETAIL,
      'GET jobs/train/runs': () => ({ runs: [], total: 0 }),
      'POST jobs/train/versions': () => {
        throw new ApiError(
          400,
          "no notebook of job 'train' changed since version 1",
          'Invalid'
        );
      }
    });
    const model = new JobsModel();
    await model.selectJob('train');
    await model.updateJob();
    expect(model.error).toBe(
      "no notebook of job 'train' changed since version 1"
    );
    model.dispose();
  });

  it('pauses a stage, rolls back, and creates a version from a changed notebook', async () => {
    const calls = serve(
      trainRoutes({
        'PUT jobs/train/stages/dev': (_, body) => ({
          ...stage('dev', 1),
          paused: body.paused
        }),
        'POST jobs/train/rollback': () => stage('staging', 1),
        'POST jobs/train/versions': () => ({ job: 'train', number: 2 })
      })
    );
    const model = new JobsModel();
    await model.selectJob('train');
    await model.setPaused('dev', true);
    expect(
      calls.find(c => c.route === 'PUT jobs/train/stages/dev')!.body
    ).toEqual({ paused: true });
    expect(model.notice).toBe('train dev: schedule paused.');
    await model.rollback('staging');
    expect(
      calls.find(c => c.route === 'POST jobs/train/rollback')!.body
    ).toEqual({ stage: 'staging' });
    expect(model.notice).toBe('train staging rolled back to v1.');
    await model.updateJob();
    expect(model.notice).toBe('train v2 created from the changed notebook.');
    model.dispose();
  });

  it('sets a stage schedule, leaving a refusal to the dialog', async () => {
    const calls = serve(
      trainRoutes({
        'PUT jobs/train/stages/staging': (_, body) => {
          if (body.timezone === 'Mars/Olympus') {
            throw new ApiError(
              400,
              "unknown timezone 'Mars/Olympus'",
              'Invalid'
            );
          }
          return { ...stage('staging', 1), ...body };
        }
      })
    );
    const model = new JobsModel();
    await model.selectJob('train');
    await expect(
      model.setSchedule('staging', '0 7 * * *', 'Mars/Olympus')
    ).rejects.toThrow("unknown timezone 'Mars/Olympus'");
    expect(model.error).toBeNull();
    const state = await model.setSchedule('staging', null, 'Europe/Paris');
    expect(state.cron).toBeNull();
    expect(
      last(calls.filter(c => c.route === 'PUT jobs/train/stages/staging')).body
    ).toEqual({ cron: null, timezone: 'Europe/Paris' });
    expect(model.notice).toBe('train staging: runs only when started.');
    await model.setSchedule('staging', '0 7 * * *', 'UTC', { epochs: 5 });
    expect(
      last(calls.filter(c => c.route === 'PUT jobs/train/stages/staging')).body
    ).toEqual({
      cron: '0 7 * * *',
      timezone: 'UTC',
      parameters: { epochs: 5 }
    });
    model.dispose();
  });

  it('reads the gates, and leaves a refused promotion to the dialog', async () => {
    let refuse = true;
    const calls = serve(
      trainRoutes({
        'GET jobs/train/promotion': query => ({
          job: 'train',
          from_stage: 'staging',
          to_stage: query.to,
          version: 1,
          gates: [
            { name: 'successful runs', passed: false, reason: '0 of 1 runs' }
          ],
          allowed: false
        }),
        'POST jobs/train/promote': () => {
          if (refuse) {
            throw new ApiError(409, 'gate successful runs failed', 'Conflict');
          }
          return {
            job: 'train',
            stage: 'prod',
            version_from: null,
            version_to: 1,
            gates: []
          };
        }
      })
    );
    const model = new JobsModel();
    await model.selectJob('train');
    const report = await model.gates('prod');
    expect(report.gates[0].reason).toBe('0 of 1 runs');
    expect(last(calls).query).toEqual({ to: 'prod' });

    await expect(model.promote('prod')).rejects.toThrow(
      'gate successful runs failed'
    );
    expect(model.error).toBeNull();
    expect(last(calls).body).toEqual({ to: 'prod', expected_version: null });

    refuse = false;
    await model.promote('staging');
    const promote = calls.filter(c => c.route === 'POST jobs/train/promote');
    // compare-and-set on what staging runs now (v1)
    expect(last(promote).body).toEqual({
      to: 'staging',
      expected_version: 1
    });
    expect(model.notice).toBe('train v1 promoted to staging.');
    model.dispose();
  });

  it('ignores an older search answer that arrives after a newer one', async () => {
    const pending: Array<(value: ListJobsResponse) => void> = [];
    serve({
      'GET jobs': () =>
        new Promise<ListJobsResponse>(resolve => pending.push(resolve))
    });
    const model = new JobsModel();
    const first = model.refresh();
    const second = model.goToPage(0);
    pending[1](jobs(summary('new', null)));
    await second;
    pending[0](jobs(summary('old', null)));
    await first;
    expect(model.list?.jobs.map(j => j.name)).toEqual(['new']);
    model.dispose();
  });
});
