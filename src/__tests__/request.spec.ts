/**
 * The one request function and the typed client, against a route table standing in for
 * the server (ServerConnection.makeRequest is the only thing replaced).
 */
import { ServerConnection } from '@jupyterlab/services';

import { api } from '../api/client';
import { ApiError, encodeQuery, requestAPI, sendAPI } from '../api/request';

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

describe('identical GETs on their way', () => {
  /** A server whose answers wait until `release()`; counts what reaches it. */
  function slowServer(): { seen: string[]; release: () => void } {
    const seen: string[] = [];
    const waiting: (() => void)[] = [];
    jest
      .spyOn(ServerConnection, 'makeRequest')
      .mockImplementation(
        async (url: RequestInfo | URL, init?: RequestInit) => {
          seen.push(`${init?.method ?? 'GET'} ${String(url)}`);
          await new Promise<void>(resolve => waiting.push(resolve));
          return new Response(JSON.stringify({ n: seen.length }), {
            status: 200
          });
        }
      );
    return { seen, release: () => waiting.splice(0).forEach(go => go()) };
  }

  it('share one answer, each caller its own copy', async () => {
    const server = slowServer();
    const first = requestAPI<{ n: number }>('experiments');
    const second = requestAPI<{ n: number }>('experiments');
    const other = requestAPI<{ n: number }>('runs', { page: 1 });
    server.release();
    const [a, b] = await Promise.all([first, second, other]);
    expect(server.seen).toHaveLength(2);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    // once answered, the next GET asks the server again
    const again = requestAPI('experiments');
    server.release();
    await again;
    expect(server.seen).toHaveLength(3);
  });

  it('are not shared across a write: a GET after it reads what followed it', async () => {
    const server = slowServer();
    const before = requestAPI('reviews');
    const write = sendAPI('POST', 'reviews', { name: 'm' });
    const after = requestAPI('reviews');
    server.release();
    await Promise.all([before, write, after]);
    expect(server.seen.map(s => s.split(' ')[0])).toEqual([
      'GET',
      'POST',
      'GET'
    ]);
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
