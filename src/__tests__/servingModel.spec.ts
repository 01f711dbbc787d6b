/**
 * The Serving panel model against a route table standing in for the server: the list
 * searched and paged here, the selected endpoint, and the actions (a refused deploy or
 * rollout thrown to its form; stop, promote and abort shown as the panel's message).
 */
import { ApiError } from '../api/request';
import { ServingModel } from '../serving/model';
import { Handler, serve } from './serveRoutes';
import { detail, status, summary } from './servingFixtures';

jest.mock('../api/request', () =>
  jest.requireActual('./mockedRequest').mocked()
);

const ENDPOINTS = ['cancer', 'iris', 'cancer-fixed'].map(n => summary(n));

function routes(extra: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    'GET serving/endpoints': () => ({ endpoints: ENDPOINTS }),
    'GET serving/endpoints/cancer': () => detail('cancer'),
    ...extra
  };
}

describe('ServingModel', () => {
  it('searches and pages the endpoints it lists', async () => {
    serve(routes());
    const model = new ServingModel();
    await model.refresh();
    expect(model.list?.total).toBe(3);
    await model.setSearch('CANCER');
    expect(model.list?.endpoints.map(e => e.name)).toEqual([
      'cancer',
      'cancer-fixed'
    ]);
    model.dispose();
  });

  it('polls the selected endpoint with the list', async () => {
    const calls = serve(routes());
    const model = new ServingModel();
    await model.selectEndpoint('cancer');
    expect(model.detail?.summary.name).toBe('cancer');
    calls.length = 0;
    await model.refresh();
    expect(calls.map(c => c.route).sort()).toEqual([
      'GET serving/endpoints',
      'GET serving/endpoints/cancer'
    ]);
    model.dispose();
  });

  it('deploys, then selects the new endpoint', async () => {
    const calls = serve(
      routes({
        'POST serving/endpoints': () => summary('cancer'),
        'GET serving/endpoints/cancer': () => detail('cancer')
      })
    );
    const model = new ServingModel();
    await model.deploy({ model: 'cancer@champion' });
    expect(calls[0]).toMatchObject({
      route: 'POST serving/endpoints',
      body: { model: 'cancer@champion' }
    });
    expect(model.name).toBe('cancer');
    expect(model.detail?.summary.name).toBe('cancer');
    expect(model.notice).toBe('Deployed cancer@champion as endpoint cancer.');
    model.dispose();
  });

  it("throws a refused deploy to the form, not to the panel's message", async () => {
    serve(
      routes({
        'POST serving/endpoints': () => {
          throw new ApiError(404, 'no registered model named nosuch');
        }
      })
    );
    const model = new ServingModel();
    await expect(model.deploy({ model: 'nosuch@champion' })).rejects.toThrow(
      'no registered model named nosuch'
    );
    expect(model.error).toBeNull();
    model.dispose();
  });

  it('starts a rollout on the selected endpoint', async () => {
    const calls = serve(
      routes({
        'POST serving/endpoints/cancer/rollout': () =>
          status({
            rollout: {
              mode: 'canary',
              challenger: 'cancer/2',
              version: '2',
              percent: 50,
              rules: {} as never,
              started_at: '2026-12-05T10:00:00',
              started_by: 'alice'
            }
          })
      })
    );
    const model = new ServingModel();
    await model.selectEndpoint('cancer');
    const request = {
      mode: 'canary' as const,
      challenger: 'cancer/2',
      percent: 50
    };
    await model.startRollout(request);
    expect(
      calls.find(c => c.route === 'POST serving/endpoints/cancer/rollout')?.body
    ).toEqual(request);
    expect(model.notice).toBe('Started a canary of cancer/2 (v2).');
    model.dispose();
  });

  it('pausing its poll (the panel hidden) never stops the endpoint', async () => {
    const calls = serve(routes());
    const model = new ServingModel();
    await model.selectEndpoint('cancer');
    model.start();
    model.stop();
    expect(calls.map(c => c.route)).not.toContain(
      'DELETE serving/endpoints/cancer'
    );
    model.dispose();
  });

  it('promotes, aborts and stops, saying so or showing the refusal', async () => {
    serve(
      routes({
        'POST serving/endpoints/cancer/promote': () => status({ version: '2' }),
        'POST serving/endpoints/cancer/abort': () => {
          throw new ApiError(404, 'endpoint cancer runs no rollout to abort');
        },
        'DELETE serving/endpoints/cancer': () =>
          summary('cancer', { running: false, status: null })
      })
    );
    const model = new ServingModel();
    await model.selectEndpoint('cancer');
    await model.promote();
    expect(model.notice).toBe(
      'Promoted: champion names v2, which answers now.'
    );
    await model.abort();
    expect(model.error).toBe('endpoint cancer runs no rollout to abort');
    expect(model.acting).toBeNull();
    await model.stopEndpoint();
    expect(model.error).toBeNull();
    expect(model.notice).toBe('Stopped endpoint cancer.');
    model.dispose();
  });
});
