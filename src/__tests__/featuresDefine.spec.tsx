/**
 * Defining from the Features panel, against a route table standing in for the server:
 * the model saves a definition and shows it selected in the refreshed catalog; the view
 * form suggests its time column and typed features from the picked dataset version, and
 * a refusal shows the server's message under the form, which keeps what was typed.
 */
import React, { act } from 'react';
import { createRoot } from 'react-dom/client';

import { ColumnStats, FeatureView } from '../api/client';
import { ApiError } from '../api/request';
import { FeaturesModel } from '../features/model';
import { ViewForm } from '../features/ViewForm';

import { CATALOG, specOf, view, viewDetail } from './featuresFixtures';
import { Handler, serve } from './serveRoutes';

jest.mock('../api/request', () =>
  jest.requireActual('./mockedRequest').mocked()
);

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => jest.clearAllMocks());

const V2: FeatureView = { ...view('driver_stats', ['driver']), version: 2 };

function catalogWith(stats: FeatureView) {
  return {
    ...CATALOG,
    views: CATALOG.views.map(v =>
      v.view.name === stats.name ? { ...v, view: stats } : v
    )
  };
}

describe('FeaturesModel.save', () => {
  function routes(saved: FeatureView): Record<string, Handler> {
    let catalog = CATALOG;
    return {
      'GET features': () => catalog,
      'POST features/views': () => {
        catalog = catalogWith(saved);
        return saved;
      },
      'GET features/views/driver_stats': () => ({
        ...viewDetail('driver_stats'),
        view: saved
      })
    };
  }

  it('saves, refreshes the catalog and shows the new version selected', async () => {
    const calls = serve(routes(V2));
    const model = new FeaturesModel();
    await model.refresh();
    model.search = 'rider'; // would hide the saved view
    const spec = specOf(V2);
    const saved = await model.save({ kind: 'view', spec });
    expect(saved.version).toBe(2);
    expect(calls.find(c => c.route === 'POST features/views')?.body).toEqual(
      spec
    );
    expect(model.search).toBe('');
    expect(model.selected).toEqual({ kind: 'view', name: 'driver_stats' });
    expect(model.view?.view.version).toBe(2);
    expect(model.all?.views[0].view.version).toBe(2);
    expect(model.notice).toBe('Saved view driver_stats v2.');
    model.dispose();
  });

  it('says so when the definition did not change', async () => {
    serve(routes(view('driver_stats', ['driver'])));
    const model = new FeaturesModel();
    await model.refresh();
    await model.save({ kind: 'view', spec: V2 });
    expect(model.notice).toBe('No change: view driver_stats stays v1.');
    model.dispose();
  });

  it("throws the server's refusal for the form, selecting nothing", async () => {
    serve({
      'GET features': () => CATALOG,
      'POST features/entities': () => {
        throw new ApiError(400, "entity name '9x' is not valid");
      }
    });
    const model = new FeaturesModel();
    await model.refresh();
    const spec = { ...specOf(CATALOG.entities[0]), name: '9x' };
    await expect(model.save({ kind: 'entity', spec })).rejects.toThrow(
      "entity name '9x' is not valid"
    );
    expect(model.selected).toBeNull();
    expect(model.error).toBeNull();
    model.dispose();
  });
});

function column(name: string, dtype: string): ColumnStats {
  return {
    name,
    dtype,
    nulls: 0,
    min: null,
    max: null,
    mean: null,
    std: null,
    quantiles: null,
    top_values: null
  };
}

const DATASET = {
  name: 'driver_rows',
  checks: [],
  versions: [2, 1].map(n => ({
    name: 'driver_rows',
    version: n,
    created_at: '2026-12-01T10:00:00Z',
    tags: [],
    checks_passed: null,
    manifest: {
      kind: 'dataframe',
      object_id: `o${n}`,
      size: 100,
      author: 'ada',
      columns: [
        column('driver_id', 'Int64'),
        column('event_timestamp', 'datetime64[ns, UTC]'),
        column('trips', 'int64'),
        ...(n === 2 ? [column('rating', 'float64')] : [])
      ]
    }
  }))
};

/** Type into an input or pick an option as a person does (React hears the event). */
function enter(element: Element, value: string): void {
  const proto =
    element instanceof HTMLSelectElement
      ? HTMLSelectElement.prototype
      : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(element, value);
  element.dispatchEvent(
    new Event(element instanceof HTMLSelectElement ? 'change' : 'input', {
      bubbles: true
    })
  );
}

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise(resolve => setTimeout(resolve, 0));
  });
}

describe('ViewForm', () => {
  it('suggests from the dataset, shows a refusal and keeps what was typed', async () => {
    serve({
      'GET datasets': () => ({
        datasets: [
          { name: 'driver_rows', versions: 2, latest: DATASET.versions[0] },
          {
            name: 'a_file',
            versions: 1,
            latest: {
              ...DATASET.versions[1],
              manifest: { ...DATASET.versions[1].manifest, kind: 'file' }
            }
          }
        ],
        total: 2
      }),
      'GET datasets/driver_rows': () => DATASET
    });
    const save = jest
      .fn()
      .mockRejectedValueOnce(new ApiError(400, "feature 'rating' is missing"))
      .mockResolvedValueOnce(V2);
    const done = jest.fn();
    const host = document.createElement('div');
    act(() =>
      createRoot(host).render(
        <ViewForm catalog={CATALOG} initial={null} save={save} done={done} />
      )
    );
    await settle();
    const get = (id: string) =>
      host.querySelector(`[data-testid="${id}"]`) as HTMLInputElement;
    const options = Array.from(
      get('mlops-view-dataset').querySelectorAll('option')
    );
    expect(options.map(o => o.value)).toEqual(['', 'driver_rows']);

    act(() => enter(get('mlops-definition-name'), 'driver_stats'));
    act(() => get('mlops-view-entity-driver').click());
    act(() => enter(get('mlops-view-dataset'), 'driver_rows'));
    await settle();
    const features = () =>
      Array.from(host.querySelectorAll('[data-testid="mlops-field-row"]')).map(
        row => [
          (row.querySelector('input') as HTMLInputElement).value,
          (row.querySelector('select') as HTMLSelectElement).value
        ]
      );
    expect(get('mlops-view-event-time').value).toBe('event_timestamp');
    expect(features()).toEqual([
      ['trips', 'Int64'],
      ['rating', 'Float64']
    ]);

    // Pinned to v1: its columns are suggested instead.
    act(() => enter(get('mlops-view-pin'), 'v1'));
    await settle();
    expect(features()).toEqual([['trips', 'Int64']]);
    act(() => enter(get('mlops-view-pin'), ''));
    await settle();
    act(() => enter(get('mlops-view-ttl'), '3'));

    await act(async () => get('mlops-definition-save').click());
    await settle();
    expect(save).toHaveBeenCalledWith(
      expect.objectContaining({
        name: 'driver_stats',
        entities: ['driver'],
        source: 'driver_rows',
        timestamp_field: 'event_timestamp',
        ttl_seconds: 259200,
        features: [
          { name: 'trips', dtype: 'Int64', description: '' },
          { name: 'rating', dtype: 'Float64', description: '' }
        ]
      })
    );
    expect(get('mlops-error').textContent).toBe("feature 'rating' is missing");
    expect(get('mlops-definition-name').value).toBe('driver_stats');
    expect(get('mlops-view-ttl').value).toBe('3');
    expect(done).not.toHaveBeenCalled();

    await act(async () => get('mlops-definition-save').click());
    await settle();
    expect(done).toHaveBeenCalledWith(V2);
    expect(get('mlops-error')).toBeNull();
  });
});
