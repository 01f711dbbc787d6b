/**
 * The datasets group of the typed client, down to what reaches ServerConnection: paths
 * escaped, repeated key columns, and JSON bodies on the writes.
 */
import { ServerConnection } from '@jupyterlab/services';

import { api } from '../api/client';

function record(): Array<{ url: string; init: RequestInit }> {
  const seen: Array<{ url: string; init: RequestInit }> = [];
  jest
    .spyOn(ServerConnection, 'makeRequest')
    .mockImplementation(async (url: RequestInfo | URL, init: RequestInit) => {
      seen.push({ url: String(url), init });
      return new Response(JSON.stringify({ checks: [] }), { status: 200 });
    });
  return seen;
}

afterEach(() => jest.restoreAllMocks());

describe('api.datasets', () => {
  it('escapes names and versions in paths and repeats key columns', async () => {
    const seen = record();
    await api.datasets.getVersion('a b', 'v1');
    await api.datasets.diff('wine', 'v1', 'prod', ['id', 'batch']);
    await api.datasets.rows('wine', 'v2', { page: 1, page_size: 25 });
    expect(seen[0].url).toMatch(/mlops\/api\/datasets\/a%20b\/versions\/v1$/);
    expect(seen[1].url).toContain(
      'datasets/wine/diff?a=v1&b=prod&key=id&key=batch'
    );
    expect(seen[2].url).toContain(
      'datasets/wine/versions/v2/rows?page=1&page_size=25'
    );
  });

  it('PUTs the checks as JSON and POSTs a check run', async () => {
    const seen = record();
    const check = {
      kind: 'not_null' as const,
      column: 'id',
      min: null,
      max: null,
      values: null
    };
    await api.datasets.putChecks('wine', [check]);
    await api.datasets.runChecks('wine', 'v2');
    expect(seen[0].init.method).toBe('PUT');
    expect(JSON.parse(String(seen[0].init.body))).toEqual({ checks: [check] });
    expect(seen[0].url).toMatch(/datasets\/wine\/checks$/);
    expect(seen[1].init.method).toBe('POST');
    expect(seen[1].url).toMatch(/datasets\/wine\/versions\/v2\/check$/);
  });
});
