/**
 * The one audit list of the jobs and the reviews: newest first, each entry with its
 * action for the specs to find, who acted and how that was established.
 */
import React, { act } from 'react';
import { createRoot } from 'react-dom/client';

import { AuditList, IAuditEvent } from '../components/AuditList';

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

function render(element: JSX.Element): HTMLElement {
  const host = document.createElement('div');
  act(() => createRoot(host).render(element));
  return host;
}

const EVENTS: IAuditEvent[] = [
  {
    id: 1,
    action: 'request',
    by: 'ann',
    by_source: 'asserted',
    at: '2026-11-23T10:00:00'
  },
  {
    id: 2,
    action: 'approve',
    by: 'bob',
    by_source: 'authenticated',
    at: '2026-11-23T11:00:00'
  }
];

describe('AuditList', () => {
  it('lists a review trail newest first, the actor before the words', () => {
    const host = render(
      <AuditList
        events={EVENTS}
        kind="review"
        lead="actor"
        text={e => `did ${e.action}`}
      />
    );
    const items = host.querySelectorAll('[data-testid=mlops-review-event]');
    expect(Array.from(items).map(li => li.getAttribute('data-action'))).toEqual(
      ['approve', 'request']
    );
    const head = items[0].firstElementChild as HTMLElement;
    expect(head.children[0].textContent).toBe('bob');
    expect(head.children[1].getAttribute('data-testid')).toBe(
      'mlops-actor-source'
    );
    expect(head.children[1].textContent).toBe('signed in');
    expect(head.children[2].textContent).toBe('did approve');
  });

  it('lists a job trail with the words first, then who, then the notes', () => {
    const host = render(
      <AuditList
        events={EVENTS.slice(0, 1)}
        kind="job"
        lead="action"
        text={() => 'promote staging v1'}
        notes={() => ['✓ recent runs: 3 of 3 succeeded']}
      />
    );
    const item = host.querySelector('[data-testid=mlops-job-event]');
    expect(item?.textContent).toContain('promote staging v1by annasserted');
    expect(item?.querySelector('.jp-mlops-meta')?.textContent).toBe(
      '✓ recent runs: 3 of 3 succeeded'
    );
  });

  it('says so when nothing was recorded, if asked to', () => {
    const props = { kind: 'job', lead: 'action', text: () => '' } as const;
    expect(
      render(<AuditList {...props} events={[]} empty="No changes recorded." />)
        .textContent
    ).toBe('No changes recorded.');
    expect(
      render(<AuditList {...props} events={[]} />).querySelector(
        '[data-testid=mlops-job-events]'
      )?.childElementCount
    ).toBe(0);
  });
});
