/**
 * What the frontend sends and reads on the wire: JSON bodies say they are JSON (the server
 * answers 415 otherwise), and times come in UTC with their offset.
 */
import { ServerConnection } from '@jupyterlab/services';

import { api } from '../api/client';
import { sendAPI } from '../api/request';
import { formatIsoTime, formatUtc, utcDate } from '../components/format';

afterEach(() => jest.restoreAllMocks());

function capture(): RequestInit[] {
  const sent: RequestInit[] = [];
  jest
    .spyOn(ServerConnection, 'makeRequest')
    .mockImplementation(async (_url: RequestInfo | URL, init: RequestInit) => {
      sent.push(init);
      return new Response('{}', { status: 200 });
    });
  return sent;
}

describe('JSON bodies', () => {
  it('are sent as application/json', async () => {
    const sent = capture();
    await sendAPI('PUT', 'datasets/wine/checks', { checks: [] });
    await api.reviews.comment(1, {
      body: 'why?',
      anchor: null,
      parent_id: null
    });
    expect(sent).toHaveLength(2);
    for (const init of sent) {
      expect(new Headers(init.headers).get('Content-Type')).toBe(
        'application/json'
      );
      expect(JSON.parse(String(init.body))).toBeInstanceOf(Object);
    }
  });
});

describe('times from the server', () => {
  it('read an offset as given and a bare time as UTC', () => {
    expect(utcDate('2026-12-05T02:33:41Z').toISOString()).toBe(
      '2026-12-05T02:33:41.000Z'
    );
    expect(utcDate('2026-12-05T02:33:41.123456Z').toISOString()).toBe(
      '2026-12-05T02:33:41.123Z'
    );
    expect(utcDate('2026-12-05T03:33:41+01:00').toISOString()).toBe(
      '2026-12-05T02:33:41.000Z'
    );
    expect(utcDate('2026-12-05T02:33:41').toISOString()).toBe(
      '2026-12-05T02:33:41.000Z'
    );
  });

  it('show one instant alike whichever helper formats it', () => {
    const shown = new Date(Date.UTC(2026, 11, 5, 2, 33, 41)).toLocaleString();
    expect(formatUtc('2026-12-05T02:33:41Z')).toBe(shown);
    expect(formatIsoTime('2026-12-05T02:33:41Z')).toBe(shown);
    expect(formatUtc('2026-12-05T02:33:41')).toBe(shown);
  });
});
