/**
 * The Monitoring panel model, against a route table standing in for the server: the one
 * request module is mocked, so the typed client's paths and queries are checked too.
 */
import {
  Alert,
  ListAlertsResponse,
  ListMonitorsResponse,
  MonitorDetail,
  PointDetail,
  PointsPage
} from '../api/client';
import {
  MonitoringModel,
  PAGE_SIZE,
  POINTS_PAGE_SIZE,
  samePoints
} from '../monitoring/model';

import { ApiError } from '../api/request';

import { Handler, serve } from './serveRoutes';

jest.mock('../api/request', () =>
  jest.requireActual('./mockedRequest').mocked()
);

function alert(id: number, monitor = 'wine', acknowledgedBy?: string): Alert {
  return {
    id,
    monitor,
    point_id: id + 10,
    rule: 'drifted_share >= 0.3',
    message: `${monitor}: drifted_share = 0.5 (rule drifted_share >= 0.3)`,
    created_at: '2026-01-01T10:00:00',
    acknowledged_by: acknowledgedBy ?? null,
    acknowledged_by_source: acknowledgedBy ? 'authenticated' : null,
    acknowledged_at: acknowledgedBy ? '2026-01-01T11:00:00' : null,
    actions: []
  };
}

function alerts(list: Alert[]): ListAlertsResponse {
  const open = list.filter(a => !a.acknowledged_at).length;
  return { alerts: list, total: list.length, open };
}

const LIST: ListMonitorsResponse = {
  monitors: [
    {
      name: 'wine',
      kind: 'data',
      reference: 'dataset ref@v1',
      points: 3,
      open_alerts: 1,
      last_point_id: 3,
      last_point_at: '2026-01-03T10:00:00',
      share_of_drifted_columns: 0.5,
      number_of_drifted_columns: 3,
      number_of_columns: 6,
      dataset_drifted: true
    }
  ],
  total: 1,
  open_alerts: 1
};

const DETAIL: MonitorDetail = {
  name: 'wine',
  kind: 'data',
  reference: 'dataset ref@v1',
  thresholds: [{ metric: 'drifted_share', op: '>=', value: 0.3 }],
  actions: [],
  created_at: '2026-01-01T10:00:00',
  updated_at: '2026-01-03T10:00:00',
  points: 3,
  open_alerts: 1
};

function page(ids: number[], monitor = 'wine', total = ids.length): PointsPage {
  return {
    monitor,
    points: ids.map(id => ({
      id,
      created_at: `2026-01-0${id}T10:00:00`,
      engine: 'fast',
      reference_rows: 100,
      current_rows: 90,
      share_of_drifted_columns: id / 10,
      number_of_drifted_columns: id,
      number_of_columns: 10,
      dataset_drifted: id > 2,
      reference_dataset: 'ref@v1',
      current_dataset: null,
      alerts: 0,
      has_report: false
    })),
    columns: [],
    quality: [],
    page: 0,
    page_size: POINTS_PAGE_SIZE,
    total
  };
}

function point(id: number, monitor = 'wine'): PointDetail {
  return {
    id,
    monitor,
    created_at: '2026-01-03T10:00:00',
    engine: 'fast',
    reference_rows: 100,
    current_rows: 90,
    share_of_drifted_columns: 0.5,
    number_of_drifted_columns: 1,
    number_of_columns: 2,
    dataset_drifted: true,
    columns: [],
    quality: null,
    distributions: [],
    reference: 'dataset ref@v1',
    reference_dataset: 'ref@v1',
    current_dataset: null,
    mlflow_run_id: null,
    evidently: null,
    alerts: [],
    report: null
  };
}

function routes(
  open: () => Alert[] = () => [alert(1)]
): Record<string, Handler> {
  return {
    'GET monitors': () => LIST,
    'GET alerts': q => alerts(q.monitor ? [alert(1)] : open()),
    'GET monitors/wine': () => DETAIL,
    'GET monitors/wine/points': () => page([1, 2, 3]),
    'GET monitors/wine/points/3': () => point(3)
  };
}

afterEach(() => jest.clearAllMocks());

describe('MonitoringModel', () => {
  it('lists monitors and every open alert; a monitor brings its series and alerts', async () => {
    const calls = serve(routes());
    const model = new MonitoringModel();
    await model.refresh();
    expect(model.loaded).toBe(true);
    expect(model.list?.monitors[0].name).toBe('wine');
    expect(model.openAlerts?.open).toBe(1);
    expect(calls.map(c => [c.route, c.query])).toEqual([
      ['GET monitors', { search: '', page: 0, page_size: PAGE_SIZE }],
      ['GET alerts', { page_size: 50 }]
    ]);

    calls.length = 0;
    await model.selectMonitor('wine');
    expect(model.detail?.thresholds).toHaveLength(1);
    expect(model.points?.points.map(p => p.id)).toEqual([1, 2, 3]);
    expect(model.tab).toBe('series');
    expect(calls).toContainEqual({
      route: 'GET monitors/wine/points',
      query: { page: 0, page_size: POINTS_PAGE_SIZE }
    });
    expect(calls).toContainEqual({
      route: 'GET alerts',
      query: { monitor: 'wine', include_acknowledged: false, page_size: 50 }
    });

    await model.openPoint(3);
    expect(model.tab).toBe('point');
    expect(model.point?.id).toBe(3);
    model.back();
    expect(model.tab).toBe('series');
  });

  it('pages back through older points', async () => {
    const calls = serve(routes());
    const model = new MonitoringModel();
    await model.selectMonitor('wine');
    await model.goToPointsPage(1);
    expect(model.pointsPage).toBe(1);
    expect(calls[calls.length - 1]).toEqual({
      route: 'GET monitors/wine/points',
      query: { page: 1, page_size: POINTS_PAGE_SIZE }
    });
  });

  it('keeps the same page object when a poll brings back the same points', async () => {
    let ids = [1, 2, 3];
    serve({ ...routes(), 'GET monitors/wine/points': () => page(ids) });
    const model = new MonitoringModel();
    await model.selectMonitor('wine');
    const first = model.points;
    await model.refresh();
    expect(model.points).toBe(first);
    ids = [1, 2, 3, 4];
    await model.refresh();
    expect(model.points).not.toBe(first);
    expect(model.points?.points).toHaveLength(4);
    expect(samePoints(null, page([1]))).toBe(false);
    expect(samePoints(page([1, 2]), page([1, 2], 'other'))).toBe(false);
  });

  it('announces each new open alert once, not those there when it first looked', async () => {
    let open = [alert(1)];
    serve(routes(() => open));
    const model = new MonitoringModel();
    const announced: number[][] = [];
    model.newAlerts.connect((_, list) => announced.push(list.map(a => a.id)));
    await model.refresh();
    expect(announced).toEqual([]);
    open = [alert(3), alert(2), alert(1)];
    await model.refresh();
    expect(announced).toEqual([[3, 2]]);
    await model.refresh();
    open = [alert(3)]; // 1 and 2 acknowledged elsewhere
    await model.refresh();
    expect(announced).toEqual([[3, 2]]);
    model.dispose();
  });

  it('acknowledges an alert, and shows who did when it already was', async () => {
    let acked = false;
    const calls = serve({
      ...routes(),
      'POST alerts/1/acknowledge': () => {
        if (acked) {
          throw new ApiError(
            409,
            'alert 1 was already acknowledged by ada at 2026-01-01 11:00:00 UTC',
            'Conflict'
          );
        }
        acked = true;
        return alert(1, 'wine', 'ada');
      }
    });
    const model = new MonitoringModel();
    await model.selectMonitor('wine');
    await model.acknowledge(1);
    expect(model.notice).toBe('Alert 1 acknowledged by ada.');
    expect(model.error).toBeNull();
    expect(calls.map(c => c.route)).toContain('GET monitors'); // badges refreshed
    await model.acknowledge(1);
    expect(model.error).toContain('already acknowledged by ada');
  });

  it('never shows a point of the monitor selected before when it arrives late', async () => {
    let answer: (p: PointDetail) => void = () => undefined;
    serve({
      ...routes(),
      'GET monitors/wine/points/3': () =>
        new Promise(resolve => (answer = resolve)),
      'GET monitors/beer': () => ({ ...DETAIL, name: 'beer' }),
      'GET monitors/beer/points': () => page([7], 'beer')
    });
    const model = new MonitoringModel();
    await model.selectMonitor('wine');
    const late = model.openPoint(3);
    await model.selectMonitor('beer');
    answer(point(3));
    await late;
    expect(model.point).toBeNull();
    expect(model.tab).toBe('series');
    expect(model.detail?.name).toBe('beer');
  });

  it("a poll's error goes away with the next good poll, an action's stays", async () => {
    let down = true;
    serve({
      ...routes(),
      'GET monitors': () => {
        if (down) {
          throw new ApiError(500, 'internal error; see the server log');
        }
        return LIST;
      }
    });
    const model = new MonitoringModel();
    await model.refresh();
    expect(model.error).toContain('internal error');
    down = false;
    await model.refresh();
    expect(model.error).toBeNull();
    await model.acknowledge(9);
    expect(model.error).toContain('no route POST alerts/9/acknowledge');
    await model.refresh();
    expect(model.error).toContain('no route POST alerts/9/acknowledge');
  });
});
