/**
 * The Features panel model, against a route table standing in for the server: the one
 * request module is mocked, so the typed client's paths, queries and bodies are checked
 * too.
 */
import { FeatureViewDetail } from '../api/client';
import { ApiError } from '../api/request';
import { FeaturesModel, SAMPLE_ROWS } from '../features/model';

import { CATALOG, viewDetail } from './featuresFixtures';
import { expectPollsOnlyWhileStarted } from './polling';
import { Handler, serve } from './serveRoutes';

jest.mock('../api/request', () =>
  jest.requireActual('./mockedRequest').mocked()
);

function baseRoutes(): Record<string, Handler> {
  return {
    'GET features': query =>
      query.search
        ? { ...CATALOG, views: [], services: [], entities: [] }
        : CATALOG,
    'GET features/views/driver_stats': () => viewDetail('driver_stats'),
    'GET features/services/eta': () => ({
      service: CATALOG.services[0],
      versions: [CATALOG.services[0]],
      used_by: []
    })
  };
}

afterEach(() => jest.clearAllMocks());

describe('FeaturesModel', () => {
  it('polls only while started', async () => {
    serve(baseRoutes());
    const model = new FeaturesModel();
    await expectPollsOnlyWhileStarted(model);
    model.dispose();
  });

  it('loads the catalog, and the whole catalog beside a search', async () => {
    const calls = serve(baseRoutes());
    const model = new FeaturesModel();
    await model.refresh();
    expect(model.loaded).toBe(true);
    expect(calls.map(c => c.query.search)).toEqual(['']);
    expect(model.all).toBe(model.catalog);
    await model.setSearch('zzz');
    expect(model.catalog?.views).toEqual([]);
    expect(model.all?.views).toHaveLength(3); // the lookup still offers every target
    model.dispose();
  });

  it('shows the view selected last when an older answer arrives late', async () => {
    const pending: Array<() => void> = [];
    const slow = (detail: FeatureViewDetail) => () =>
      new Promise(resolve => pending.push(() => resolve(detail)));
    serve({
      'GET features/views/a': slow(viewDetail('a')),
      'GET features/views/b': slow(viewDetail('b'))
    });
    const model = new FeaturesModel();
    const first = model.select('view', 'a');
    const second = model.select('view', 'b');
    pending[1]();
    await second;
    pending[0]();
    await first;
    expect(model.view?.view.name).toBe('b');
    model.dispose();
  });

  it('fetches sample rows only when shown', async () => {
    const calls = serve({
      ...baseRoutes(),
      'GET features/views/driver_stats/rows': () => ({
        columns: ['driver_id'],
        rows: [[1]]
      })
    });
    const model = new FeaturesModel();
    await model.select('view', 'driver_stats');
    expect(calls.some(c => c.route.endsWith('/rows'))).toBe(false);
    await model.showViewTab('rows');
    const asked = calls.filter(c => c.route.endsWith('/rows'));
    expect(asked).toHaveLength(1);
    expect(asked[0].query).toEqual({ limit: SAMPLE_ROWS });
    expect(model.rows?.rows).toEqual([[1]]);
    model.dispose();
  });

  it('materializes the selected service and says what was written', async () => {
    const calls = serve({
      ...baseRoutes(),
      'POST features/materialize': () => ({
        materializations: [{ view: 'driver_stats', rows: 3 }]
      })
    });
    const model = new FeaturesModel();
    await model.select('service', 'eta');
    await model.materialize();
    const post = calls.find(c => c.route === 'POST features/materialize');
    expect(post?.body).toEqual({ service: 'eta', mode: 'full' });
    expect(model.notice).toBe('Materialized driver_stats: 3 entities.');
    expect(model.materializing).toBe(false);
    model.dispose();
  });

  it("looks up typed entities of a view and shows the server's refusal as text", async () => {
    let refuse = false;
    const calls = serve({
      ...baseRoutes(),
      'POST features/online': () => {
        if (refuse) {
          throw new ApiError(400, 'view pairs is not online', 'Invalid');
        }
        return { features: ['trips'], rows: [] };
      }
    });
    const model = new FeaturesModel();
    await model.refresh();
    model.lookUp({ kind: 'view', name: 'pairs' });
    expect(model.section).toBe('lookup');
    expect(model.keysOf().map(k => k.name)).toEqual(['driver_id', 'rider']);
    model.setKeyText('driver_id', '1');
    await model.runLookup();
    expect(model.error).toBe('enter a value of rider');
    expect(calls.some(c => c.route === 'POST features/online')).toBe(false);
    model.setKeyText('rider', 'ann');
    await model.runLookup();
    const post = calls.find(c => c.route === 'POST features/online');
    expect(post?.body).toEqual({
      view: 'pairs',
      entities: { driver_id: [1], rider: ['ann'] }
    });
    expect(model.result?.features).toEqual(['trips']);
    expect(model.error).toBeNull();
    refuse = true;
    await model.runLookup();
    expect(model.error).toBe('view pairs is not online');
    model.dispose();
  });

  it('opens the lookup on the first target, and forgets a result when the target changes', async () => {
    serve({
      ...baseRoutes(),
      'POST features/online': () => ({ features: [], rows: [] })
    });
    const model = new FeaturesModel();
    await model.refresh();
    model.showSection('lookup');
    expect(model.target).toEqual({ kind: 'service', name: 'eta' });
    model.setKeyText('driver_id', '1');
    model.setKeyText('rider', 'a');
    await model.runLookup();
    expect(model.result).not.toBeNull();
    model.setTarget({ kind: 'view', name: 'driver_stats' });
    expect(model.result).toBeNull();
    model.dispose();
  });
});
