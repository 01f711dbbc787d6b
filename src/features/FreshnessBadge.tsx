/**
 * A view's freshness against its ttl: fresh, stale, no ttl, or no events yet; the
 * tooltip says how old the newest event is.
 */
import React from 'react';

import { Freshness } from '../api/client';
import { freshnessBadge } from './format';

export function FreshnessBadge(props: { freshness: Freshness }): JSX.Element {
  const badge = freshnessBadge(props.freshness);
  return (
    <span
      className={`jp-mlops-badge jp-mlops-fresh-${badge.status}`}
      data-testid="mlops-freshness"
      data-status={badge.status}
      title={badge.title}
    >
      {badge.label}
    </span>
  );
}
