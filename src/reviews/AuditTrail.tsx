/**
 * A review's audit trail, newest first: who did what, when.
 */
import React from 'react';

import { ReviewEvent } from '../api/client';
import { ActorSource } from '../components/ActorSource';
import { formatUtc } from '../components/format';
import { reviewEventText } from './format';

export function AuditTrail(props: { events: ReviewEvent[] }): JSX.Element {
  const events = [...props.events].sort((a, b) => b.id - a.id);
  return (
    <ul className="jp-mlops-alerts" data-testid="mlops-review-events">
      {events.map(event => (
        <li
          key={event.id}
          className="jp-mlops-job-event"
          data-testid="mlops-review-event"
          data-action={event.action}
        >
          <div className="jp-mlops-alert-head">
            <b>{event.by}</b>
            <ActorSource source={event.by_source} />
            <span>{reviewEventText(event)}</span>
            <span className="jp-mlops-count">{formatUtc(event.at)}</span>
          </div>
        </li>
      ))}
    </ul>
  );
}
