/**
 * The version the Request review dialog starts on: the newest version trained by the
 * notebook (only the few newest versions' runs are asked, each run once), else the
 * newest version; a version asked for by name wins when it is registered.
 */
import { api, RunDetail } from '../api/client';
import {
  newestVersions,
  NOTEBOOK_CHECKS,
  preselect,
  sameNotebook,
  versionKey,
  versionOptionLabel,
  versionsFromNotebook
} from '../reviews/requestReviewChoice';
import { modelVersion, registered } from './reviewsFixtures';
import { serve } from './serveRoutes';

jest.mock('../api/request', () =>
  jest.requireActual('./mockedRequest').mocked()
);

function runFrom(notebook: string | null): RunDetail {
  return {
    run: {
      run_id: 'r',
      run_name: 'r',
      experiment_id: '1',
      status: 'FINISHED',
      start_time: null,
      end_time: null,
      user_id: null,
      source_notebook: notebook,
      metrics: {},
      params: {}
    },
    tags: {},
    metric_history: {},
    artifacts: [],
    cell_source: null,
    artifact_uri: '',
    datasets: []
  };
}

describe('newestVersions', () => {
  it('orders every version of every model by creation, newest first', () => {
    const models = [
      registered('churn', [
        modelVersion('churn', 2, { created_at: '2026-11-20T10:00:00' }),
        modelVersion('churn', 1, { created_at: '2026-11-01T10:00:00' })
      ]),
      registered('fraud', [
        modelVersion('fraud', 1, { created_at: '2026-11-10T10:00:00' }),
        modelVersion('fraud', 9, { created_at: null })
      ])
    ];
    expect(
      newestVersions(models).map(v => versionKey(v.name, v.version))
    ).toEqual(['churn@2', 'fraud@1', 'churn@1', 'fraud@9']);
  });
});

describe('sameNotebook', () => {
  it('matches the same path however it is written', () => {
    expect(sameNotebook('work/train.ipynb', 'work/train.ipynb')).toBe(true);
    expect(sameNotebook('./work/train.ipynb', '/work/train.ipynb')).toBe(true);
    expect(
      sameNotebook('/home/ann/proj/work/train.ipynb', 'work/train.ipynb')
    ).toBe(true);
  });

  it('does not match another folder’s notebook of the same name, or nothing', () => {
    expect(sameNotebook('other/train.ipynb', 'work/train.ipynb')).toBe(false);
    expect(sameNotebook('work/mytrain.ipynb', 'train.ipynb')).toBe(false);
    expect(sameNotebook(null, 'work/train.ipynb')).toBe(false);
    expect(sameNotebook('work/train.ipynb', '')).toBe(false);
  });
});

describe('versionsFromNotebook', () => {
  it('asks the runs of the newest versions only, each run once', async () => {
    const versions = Array.from({ length: NOTEBOOK_CHECKS + 3 }, (_, i) =>
      modelVersion('churn', i + 1, { run_id: `run${Math.min(i + 1, 6)}` })
    ).reverse(); // v8 (run6), v7 (run6), v6 (run6), v5 (run5)…
    const calls = serve(
      Object.fromEntries(
        Array.from({ length: 6 }, (_, i) => [
          `GET runs/run${i + 1}`,
          () => runFrom(i + 1 === 5 ? 'work/train.ipynb' : 'work/other.ipynb')
        ])
      )
    );
    const found = await versionsFromNotebook(
      [registered('churn', versions)],
      'work/train.ipynb',
      api.tracking.getRun
    );
    expect([...found]).toEqual(['churn@5']);
    // v8…v4 are the newest five: runs 6, 5 and 4, each asked once
    expect(calls.map(c => c.route).sort()).toEqual([
      'GET runs/run4',
      'GET runs/run5',
      'GET runs/run6'
    ]);
  });

  it('counts a run it cannot read, or a version without a run, as not from it', async () => {
    serve({ 'GET runs/ok': () => runFrom('train.ipynb') });
    const found = await versionsFromNotebook(
      [
        registered('m', [
          modelVersion('m', 3, { run_id: 'gone' }),
          modelVersion('m', 2, { run_id: null }),
          modelVersion('m', 1, { run_id: 'ok' })
        ])
      ],
      'train.ipynb',
      api.tracking.getRun
    );
    expect([...found]).toEqual(['m@1']);
  });
});

describe('preselect', () => {
  const models = [
    registered('churn', [modelVersion('churn', 3), modelVersion('churn', 2)]),
    registered('fraud', [modelVersion('fraud', 1)])
  ];

  it('starts on the newest version from the notebook', () => {
    expect(preselect(models, new Set(['churn@2', 'fraud@1']))).toEqual({
      model: 'churn',
      version: 2
    });
  });

  it('else on the newest version', () => {
    expect(preselect(models, new Set())).toEqual({
      model: 'churn',
      version: 3
    });
  });

  it('on the version asked for when it is registered', () => {
    expect(
      preselect(models, new Set(['churn@2']), { model: 'fraud', version: 1 })
    ).toEqual({ model: 'fraud', version: 1 });
    expect(
      preselect(models, new Set(['churn@2']), { model: 'fraud', version: 4 })
    ).toEqual({ model: 'churn', version: 2 });
  });

  it('on nothing when no version is registered', () => {
    expect(preselect([], new Set())).toBeNull();
    expect(preselect([registered('empty', [])], new Set())).toBeNull();
  });
});

describe('versionOptionLabel', () => {
  it('shows the version, its aliases and whether it came from the notebook', () => {
    expect(
      versionOptionLabel(modelVersion('m', 4, { aliases: ['champion'] }), true)
    ).toBe('v4 @champion · from this notebook');
    expect(versionOptionLabel(modelVersion('m', 2), false)).toBe('v2');
  });
});
