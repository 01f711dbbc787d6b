/**
 * An audit trail, newest first: who did what, when, with how the actor was established
 * (the jobs' promotions and schedules, the reviews' comments and decisions).
 */
import React from 'react';

import { ActorSource, ActorSourceKind } from './ActorSource';
import { formatUtc } from './format';

/** What every audited event records. */
export interface IAuditEvent {
  id: number;
  action: string;
  by: string;
  by_source?: ActorSourceKind;
  at: string;
}

export interface IAuditListProps<E extends IAuditEvent> {
  events: E[];
  /** Names the test ids: `mlops-job-events` around `mlops-job-event`s. */
  kind: 'job' | 'review' | 'serving';
  /** What an event did, in words. */
  text: (event: E) => string;
  /**
   * How an entry reads: `action`, the words first (`promote staging v2 by ann`);
   * `actor`, the name first (`ann approved`).
   */
  lead: 'action' | 'actor';
  /** Lines under an entry (a promotion's gate verdicts). */
  notes?: (event: E) => string[];
  /** Shown instead of an empty list. */
  empty?: string;
}

export function AuditList<E extends IAuditEvent>(
  props: IAuditListProps<E>
): JSX.Element {
  if (props.events.length === 0 && props.empty) {
    return <p className="jp-mlops-empty">{props.empty}</p>;
  }
  const events = [...props.events].sort((a, b) => b.id - a.id);
  return (
    <ul className="jp-mlops-alerts" data-testid={`mlops-${props.kind}-events`}>
      {events.map(event => (
        <li
          key={event.id}
          className="jp-mlops-job-event"
          data-testid={`mlops-${props.kind}-event`}
          data-action={event.action}
        >
          <div className="jp-mlops-alert-head">
            {props.lead === 'action' ? (
              <>
                <b>{props.text(event)}</b>
                <span>by {event.by}</span>
                <ActorSource source={event.by_source} />
              </>
            ) : (
              <>
                <b>{event.by}</b>
                <ActorSource source={event.by_source} />
                <span>{props.text(event)}</span>
              </>
            )}
            <span className="jp-mlops-count">{formatUtc(event.at)}</span>
          </div>
          {props.notes?.(event).map((note, i) => (
            <div key={i} className="jp-mlops-meta">
              {note}
            </div>
          ))}
        </li>
      ))}
    </ul>
  );
}
