/**
 * The one request function and the typed client, against a route table standing in for
 * the server (ServerConnection.makeRequest is the only thing replaced).
 */
import { ServerConnection } from '@jupyterlab/services';

import { api } from '../api/client';
import { ApiError, encodeQuery, requestAPI } from '../api/request';

type Route = { status: number; body: unknown };

function serve(routes: Record<string, Route>): string[] {
  const seen: string[] = [];
  jest
    .spyOn(ServerConnection, 'makeRequest')
    .mockImplementation(async (url: RequestInfo | URL) => {
      const text = String(url);
      seen.push(text);
      const path = new URL(text).pathname.replace(/^.*\/mlops\/api\//, '');
      const route = routes[path];
      if (!route) {
        return new Response(JSON.stringify({ message: 'no such route' }), {
          status: 404
        });
      }
      return new Response(JSON.stringify(route.body), { status: route.status });
    });
  return seen;
}

afterEach(() => jest.restoreAllMocks());

describe('encodeQuery', () => {
  it('repeats array keys and leaves out empty values', () => {
    expect(
      encodeQuery({
        experiment_ids: ['1', '2'],
        filter: '',
        page: 0,
        order_by: undefined
      })
    ).toBe('?experiment_ids=1&experiment_ids=2&page=0');
  });

  it('encodes MLflow filter syntax safely', () => {
    expect(
      encodeQuery({ filter: "params.C = '1' and metrics.`a b` > 0.5" })
    ).toBe('?filter=params.C+%3D+%271%27+and+metrics.%60a+b%60+%3E+0.5');
  });
});

describe('requestAPI', () => {
  it('returns the parsed JSON body', async () => {
    serve({ info: { status: 200, body: { root: '/project' } } });
    await expect(requestAPI<{ root: string }>('info')).resolves.toEqual({
      root: '/project'
    });
  });

  it("throws ApiError carrying the server's message and reason on a 4xx", async () => {
    serve({
      runs: {
        status: 400,
        body: {
          message: "bad filter or sort: Invalid comparator '>>>'",
          reason: 'Invalid'
        }
      }
    });
    const error = await api.tracking
      .listRuns({ filter: 'metrics.a >>> 1' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.reason).toBe('Invalid');
    expect(error.message).toContain('bad filter');
  });
});

describe('api.tracking', () => {
  it('sends compare run ids as repeated keys and escapes run ids in paths', async () => {
    const seen = serve({
      compare: { status: 200, body: { runs: [] } },
      'runs/a%2Fb': {
        status: 404,
        body: { message: 'no run', reason: 'NotFound' }
      }
    });
    await api.tracking.compare(['r1', 'r2']);
    expect(seen[0]).toContain('compare?run_ids=r1&run_ids=r2');
    await expect(api.tracking.getRun('a/b')).rejects.toMatchObject({
      status: 404
    });
  });
});
