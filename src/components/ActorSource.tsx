/**
 * How a recorded actor was established: `authenticated` by the Jupyter server (a signed-in
 * user, or a single-user server's owner) or `asserted` by a kernel or the CLI, which name
 * themselves. Shown beside every name in the audit trails, decisions and acknowledgements.
 */
import React from 'react';

export type ActorSourceKind = 'authenticated' | 'asserted' | null | undefined;

const EXPLAINED: Record<'authenticated' | 'asserted', string> = {
  authenticated: 'Signed in: the Jupyter server authenticated this user.',
  asserted:
    'Asserted: a kernel or the command line named this user; the server did not check it.'
};

export function ActorSource(props: {
  source: ActorSourceKind;
}): JSX.Element | null {
  if (!props.source) {
    return null;
  }
  return (
    <span
      className="jp-mlops-actor-source"
      data-source={props.source}
      data-testid="mlops-actor-source"
      title={EXPLAINED[props.source]}
    >
      {props.source === 'authenticated' ? 'signed in' : 'asserted'}
    </span>
  );
}
