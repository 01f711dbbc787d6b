/**
 * The badge that says how a recorded actor was established.
 */
import React, { act } from 'react';
import { createRoot } from 'react-dom/client';

import { ActorSource } from '../components/ActorSource';

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

function render(element: JSX.Element): HTMLElement {
  const host = document.createElement('div');
  act(() => createRoot(host).render(element));
  return host;
}

describe('ActorSource', () => {
  it('marks a signed-in actor and explains it', () => {
    const badge = render(<ActorSource source="authenticated" />).firstChild as
      HTMLElement | undefined;
    expect(badge?.textContent).toBe('signed in');
    expect(badge?.dataset.source).toBe('authenticated');
    expect(badge?.title).toMatch(/Jupyter server authenticated/);
  });

  it('marks an actor a kernel named as asserted', () => {
    const badge = render(<ActorSource source="asserted" />)
      .firstChild as HTMLElement;
    expect(badge.textContent).toBe('asserted');
    expect(badge.title).toMatch(/kernel or the command line/);
  });

  it('shows nothing where the origin was not recorded', () => {
    expect(render(<ActorSource source={null} />).childElementCount).toBe(0);
  });
});
