/**
 * The Experiments panel model: sort toggling, paging bounds, filter errors, comparison.
 */
import { ListRunsQuery, ListRunsResponse } from '../api/client';
import { ApiError } from '../api/request';
import { ExperimentsModel, PAGE_SIZE, TrackingApi } from '../experiments/model';
import { orderByClause, toggleSort } from '../experiments/sort';
import { expectPollsOnlyWhileStarted } from './polling';

function page(total: number): ListRunsResponse {
  return {
    runs: [],
    total,
    page: 0,
    page_size: PAGE_SIZE,
    metric_keys: [],
    param_keys: []
  };
}

function fakeApi(total = 120) {
  const queries: ListRunsQuery[] = [];
  const client: TrackingApi = {
    listExperiments: async () => ({
      experiments: [
        {
          experiment_id: '1',
          name: 'iris',
          artifact_location: '',
          lifecycle_stage: 'active',
          creation_time: null,
          last_update_time: null,
          run_count: total,
          primary_metric: null
        }
      ]
    }),
    listRuns: async query => {
      queries.push(query);
      if (query.filter?.includes('>>>')) {
        throw new ApiError(
          400,
          "bad filter or sort: Invalid comparator '>>>'",
          'Invalid'
        );
      }
      return page(total);
    },
    getRun: async () => {
      throw new ApiError(404, 'no run with id x', 'NotFound');
    },
    compare: async ids => ({
      runs: [],
      metric_keys: [],
      param_keys: [],
      param_diff: [],
      metric_history: {},
      ...{ ids }
    })
  };
  return { client, queries };
}

describe('sort', () => {
  it('writes MLflow order-by clauses, quoting metric and param names', () => {
    expect(
      orderByClause({ kind: 'metrics', key: 'val acc', ascending: false })
    ).toBe('metrics.`val acc` DESC');
    expect(
      orderByClause({ kind: 'attributes', key: 'start_time', ascending: true })
    ).toBe('attributes.start_time ASC');
  });

  it('sorts a new column descending first, then flips on a second click', () => {
    const first = toggleSort(
      { kind: 'attributes', key: 'start_time', ascending: false },
      'metrics',
      'acc'
    );
    expect(first).toEqual({ kind: 'metrics', key: 'acc', ascending: false });
    expect(toggleSort(first, 'metrics', 'acc').ascending).toBe(true);
  });
});

describe('ExperimentsModel', () => {
  it('selects the first experiment and asks for its first page sorted by start time', async () => {
    const { client, queries } = fakeApi();
    const model = new ExperimentsModel(client);
    await model.refresh();
    expect(model.experimentId).toBe('1');
    expect(queries[0]).toMatchObject({
      experiment_ids: ['1'],
      order_by: 'attributes.start_time DESC',
      page: 0,
      page_size: PAGE_SIZE
    });
    model.dispose();
  });

  it('keeps the page within bounds and resets it when the sort changes', async () => {
    const { client, queries } = fakeApi(120);
    const model = new ExperimentsModel(client);
    await model.refresh();
    await model.goToPage(99);
    expect(model.page).toBe(2); // 120 runs, 50 a page: pages 0..2
    await model.sortBy('metrics', 'acc');
    expect(model.page).toBe(0);
    expect(queries[queries.length - 1].order_by).toBe('metrics.`acc` DESC');
    model.dispose();
  });

  it("shows the server's message for a bad filter and clears it when fixed", async () => {
    const { client } = fakeApi();
    const model = new ExperimentsModel(client);
    await model.refresh();
    await model.setFilter('metrics.acc >>> 1');
    expect(model.error).toContain('bad filter');
    await model.setFilter('metrics.acc > 0.5');
    expect(model.error).toBeNull();
    model.dispose();
  });

  it('emits the comparison of the selected runs', async () => {
    const { client } = fakeApi();
    const model = new ExperimentsModel(client);
    const compared: unknown[] = [];
    model.compared.connect((_, data) => compared.push(data));
    model.toggleSelected('a');
    model.toggleSelected('b');
    model.toggleSelected('a');
    model.toggleSelected('a');
    await model.compare();
    expect(compared).toHaveLength(1);
    expect((compared[0] as any).ids).toEqual(['b', 'a']);
    model.dispose();
  });

  it('reports an unknown run as an error, not an exception', async () => {
    const { client } = fakeApi();
    const model = new ExperimentsModel(client);
    await model.openRun('x');
    expect(model.error).toBe('no run with id x');
    expect(model.view).toBe('runs');
    model.dispose();
  });

  it('keeps the answer to the latest request when an older one arrives late', async () => {
    const { client } = fakeApi();
    const pending: Array<(r: ListRunsResponse) => void> = [];
    client.listRuns = query =>
      new Promise(resolve =>
        pending.push(() =>
          resolve({ ...page(1), metric_keys: [query.order_by as string] })
        )
      );
    const model = new ExperimentsModel(client);
    model.experimentId = '1';
    const slowPoll = model.goToPage(0); // e.g. a poll in flight
    const sort = model.sortBy('metrics', 'acc');
    pending[1](page(1)); // the sort's answer comes first
    await sort;
    pending[0](page(1)); // then the poll's, with the old order
    await slowPoll;
    expect(model.runs?.metric_keys).toEqual(['metrics.`acc` DESC']);
    model.dispose();
  });

  it('shows an error instead of the empty state when experiments cannot be listed', async () => {
    const { client } = fakeApi();
    client.listExperiments = async () => {
      throw new ApiError(0, 'cannot reach the server: offline');
    };
    const model = new ExperimentsModel(client);
    await model.refresh();
    expect(model.loaded).toBe(false);
    expect(model.error).toContain('cannot reach the server');
    model.dispose();
  });

  it('polls only between start and stop', async () => {
    const { client } = fakeApi();
    const model = new ExperimentsModel(client);
    await expectPollsOnlyWhileStarted(model);
    model.dispose();
  });
});
