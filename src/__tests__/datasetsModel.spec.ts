/**
 * The Datasets panel model, against a route table standing in for the server: the one
 * request module is mocked, so the typed client's paths and queries are checked too.
 */
import {
  Check,
  CheckReport,
  DatasetDetail,
  DatasetVersion,
  ListDatasetsResponse,
  RowsPage
} from '../api/client';
import { DatasetsModel, PAGE_SIZE, ROWS_PAGE_SIZE } from '../datasets/model';

import { ApiError } from '../api/request';

import { expectPollsOnlyWhileStarted } from './polling';
import { Handler, serve } from './serveRoutes';

jest.mock('../api/request', () =>
  jest.requireActual('./mockedRequest').mocked()
);

function version(
  n: number,
  extra: Partial<DatasetVersion['manifest']> = {}
): DatasetVersion {
  return {
    name: 'wine',
    version: n,
    created_at: '2026-01-0' + n + 'T10:00:00Z',
    tags: [],
    checks_passed: null,
    manifest: {
      kind: 'dataframe',
      object_id: `${n}`.repeat(64),
      size: 1000,
      rows: 10 * n,
      columns: [],
      key: n === 1 ? ['id'] : null, // as when only v1 was saved with --key
      file_name: null,
      files: null,
      parent_version: n > 1 ? n - 1 : null,
      author: 'ada',
      message: '',
      source_notebook: null,
      source_cell: null,
      ...extra
    }
  };
}

const WINE: DatasetDetail = {
  name: 'wine',
  versions: [version(2), version(1)],
  checks: []
};

function listing(names: string[]): ListDatasetsResponse {
  return {
    datasets: names.map(name => ({
      name,
      versions: 2,
      latest: version(2),
      checks: 0
    })),
    total: names.length
  };
}

const REPORT: CheckReport = {
  dataset: 'wine',
  version: 2,
  passed: false,
  checked_at: '2026-01-02T10:00:00Z',
  results: []
};

function baseRoutes(): Record<string, Handler> {
  return {
    'GET datasets': () => listing(['wine']),
    'GET datasets/wine': () => WINE
  };
}

afterEach(() => jest.clearAllMocks());

describe('DatasetsModel', () => {
  it('lists the first page and shows the selected dataset, newest version first', async () => {
    const calls = serve(baseRoutes());
    const model = new DatasetsModel();
    await model.refresh();
    expect(model.loaded).toBe(true);
    expect(calls[0].query).toEqual({
      search: '',
      page: 0,
      page_size: PAGE_SIZE
    });
    await model.selectDataset('wine');
    expect(model.latest?.version).toBe(2);
    expect(model.tab).toBe('versions');
    model.dispose();
  });

  it('searches on the server once typing pauses, from the first page', async () => {
    const calls = serve(baseRoutes());
    const model = new DatasetsModel();
    model.page = 3;
    void model.setSearch('wi');
    await model.setSearch('win');
    const searches = calls.filter(c => c.route === 'GET datasets');
    expect(searches).toHaveLength(1);
    expect(searches[0].query).toMatchObject({ search: 'win', page: 0 });
    model.dispose();
  });

  it('keeps the dataset selected last when an older answer arrives late', async () => {
    const pending: Array<() => void> = [];
    const slow = (detail: DatasetDetail) => () =>
      new Promise(resolve => pending.push(() => resolve(detail)));
    serve({
      'GET datasets/wine': slow(WINE),
      'GET datasets/beer': slow({ ...WINE, name: 'beer' })
    });
    const model = new DatasetsModel();
    const first = model.selectDataset('wine');
    const second = model.selectDataset('beer');
    pending[1]();
    await second;
    pending[0]();
    await first;
    expect(model.detail?.name).toBe('beer');
    model.dispose();
  });

  it('does not show a version of the dataset selected before when it arrives late', async () => {
    let answer: (value: unknown) => void = () => undefined;
    serve({
      ...baseRoutes(),
      'GET datasets/beer': () => ({ ...WINE, name: 'beer' }),
      'GET datasets/wine/versions/v1': () =>
        new Promise(resolve => (answer = resolve))
    });
    const model = new DatasetsModel();
    await model.selectDataset('wine');
    const late = model.openVersion('v1');
    await model.selectDataset('beer');
    answer({ version: version(1), lineage: [], report: null, files: null });
    await late;
    expect(model.version).toBeNull();
    expect(model.tab).toBe('versions');
    model.dispose();
  });

  it('opens a version and fetches its rows only when the rows are shown', async () => {
    const rows: RowsPage = {
      columns: ['id'],
      dtypes: ['int64'],
      rows: [[1]],
      page: 1,
      page_size: ROWS_PAGE_SIZE,
      total: 30
    };
    const calls = serve({
      ...baseRoutes(),
      'GET datasets/wine/versions/prod': () => ({
        version: version(1),
        lineage: [],
        report: null,
        files: null
      }),
      'GET datasets/wine/versions/v1/rows': () => rows
    });
    const model = new DatasetsModel();
    await model.selectDataset('wine');
    await model.openVersion('prod');
    expect(model.tab).toBe('version');
    expect(model.versionTab).toBe('schema');
    expect(calls.some(c => c.route.endsWith('/rows'))).toBe(false);
    await model.selectVersionTab('rows');
    await model.goToRowsPage(1);
    const asked = calls.filter(c => c.route.endsWith('/rows'));
    expect(asked.map(c => c.query.page)).toEqual([0, 1]);
    expect(asked[1].query.page_size).toBe(ROWS_PAGE_SIZE);
    expect(model.rows?.total).toBe(30);
    model.dispose();
  });

  it('opens a folder version on its files', async () => {
    serve({
      ...baseRoutes(),
      'GET datasets/wine/versions/v1': () => ({
        version: version(1, { kind: 'folder', files: 1 }),
        lineage: [],
        report: null,
        files: [{ path: 'a.csv', object: 'x', size: 3 }]
      })
    });
    const model = new DatasetsModel();
    await model.selectDataset('wine');
    await model.openVersion('v1');
    expect(model.versionTab).toBe('files');
    model.dispose();
  });

  it('diffs the two newest versions by default, keyed as their manifests say', async () => {
    const calls = serve({
      ...baseRoutes(),
      'GET datasets/wine/diff': () => ({ a: 'wine@v1', b: 'wine@v2' })
    });
    const model = new DatasetsModel();
    await model.selectDataset('wine');
    model.showTab('diff');
    expect([model.diffA, model.diffB, model.diffKey]).toEqual([
      'v1',
      'v2',
      'id'
    ]);
    await model.runDiff();
    model.setDiffKey(' id , batch ,');
    await model.runDiff();
    const diffs = calls.filter(c => c.route === 'GET datasets/wine/diff');
    expect(diffs[0].query).toEqual({ a: 'v1', b: 'v2', key: ['id'] });
    expect(diffs[1].query.key).toEqual(['id', 'batch']);
    expect(model.diff?.b).toBe('wine@v2');
    model.dispose();
  });

  it("keeps a failed action's message up while polls succeed, until the tab changes", async () => {
    serve({
      ...baseRoutes(),
      'GET datasets/wine/diff': () => {
        throw new ApiError(
          400,
          "key ['id'] is not unique in the first version"
        );
      }
    });
    const model = new DatasetsModel();
    await model.selectDataset('wine');
    model.showTab('diff');
    await model.runDiff();
    await model.refresh();
    expect(model.error).toContain('not unique');
    model.showTab('checks');
    expect(model.error).toBeNull();
    model.dispose();
  });

  it('saves the edited checks, then runs them on the latest version', async () => {
    const notNull: Check = {
      kind: 'not_null',
      column: 'id',
      min: null,
      max: null,
      values: null
    };
    const rows: Check = { ...notNull, kind: 'row_count', column: null, min: 5 };
    const calls = serve({
      ...baseRoutes(),
      'PUT datasets/wine/checks': (_, body) => body,
      'POST datasets/wine/versions/v2/check': () => REPORT
    });
    const model = new DatasetsModel();
    await model.selectDataset('wine');
    model.showTab('checks');
    model.addCheck(notNull);
    model.addCheck(rows);
    model.removeCheck(0);
    expect(model.checksDirty).toBe(true);
    await model.saveChecks();
    const put = calls.find(c => c.route === 'PUT datasets/wine/checks');
    expect(put?.body).toEqual({ checks: [rows] });
    expect(model.checkReport).toEqual(REPORT);
    expect(model.checksDirty).toBe(false);
    expect(model.notice).toContain('ran them on v2');
    // The timeline is reloaded so the new check status shows.
    expect(calls.filter(c => c.route === 'GET datasets/wine')).toHaveLength(2);
    model.dispose();
  });

  it("shows the server's message for a refused check and keeps the edits", async () => {
    serve({
      ...baseRoutes(),
      'PUT datasets/wine/checks': () => {
        throw new ApiError(400, 'check 1: min 5 is above max 1', 'Invalid');
      }
    });
    const model = new DatasetsModel();
    await model.selectDataset('wine');
    model.addCheck({
      kind: 'row_count',
      column: null,
      min: 5,
      max: 1,
      values: null
    });
    await model.saveChecks();
    expect(model.error).toContain('min 5 is above max 1');
    expect(model.draftChecks).toHaveLength(1);
    expect(model.checksDirty).toBe(true);
    model.dispose();
  });

  it('reports an unknown dataset as an error, not an exception', async () => {
    serve(baseRoutes());
    const model = new DatasetsModel();
    await model.selectDataset('nope');
    expect(model.error).toBe('no route GET datasets/nope');
    expect(model.detail).toBeNull();
    model.dispose();
  });

  it('shows an error instead of the empty state when datasets cannot be listed', async () => {
    serve({
      'GET datasets': () => {
        throw new ApiError(0, 'cannot reach the server: offline');
      }
    });
    const model = new DatasetsModel();
    await model.refresh();
    expect(model.loaded).toBe(false);
    expect(model.error).toContain('cannot reach the server');
    model.dispose();
  });

  it('polls only between start and stop', async () => {
    serve(baseRoutes());
    const model = new DatasetsModel();
    await expectPollsOnlyWhileStarted(model);
    model.dispose();
  });
});
