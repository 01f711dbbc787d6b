/**
 * A job's audit trail, newest first: who changed what, when, and the gates' verdicts of
 * a promotion.
 */
import React from 'react';

import { GateResult, JobEvent } from '../api/client';
import { formatUtc } from '../components/format';

/** What an event did, in words: `promote staging v1 → v2`, `pause prod`. */
export function eventText(event: JobEvent): string {
  const parts = [event.action];
  if (event.stage) {
    parts.push(event.stage);
  }
  if (event.version_to !== null) {
    parts.push(
      event.version_from !== null
        ? `v${event.version_from} → v${event.version_to}`
        : `v${event.version_to}`
    );
  }
  return parts.join(' ');
}

function gatesOf(event: JobEvent): GateResult[] {
  const gates = event.detail['gates'];
  return Array.isArray(gates) ? (gates as GateResult[]) : [];
}

export function AuditList(props: { events: JobEvent[] }): JSX.Element {
  if (props.events.length === 0) {
    return <p className="jp-mlops-empty">No changes recorded.</p>;
  }
  const events = [...props.events].sort((a, b) => b.id - a.id);
  return (
    <ul className="jp-mlops-alerts" data-testid="mlops-job-events">
      {events.map(event => (
        <li
          key={event.id}
          className="jp-mlops-job-event"
          data-testid="mlops-job-event"
          data-action={event.action}
        >
          <div className="jp-mlops-alert-head">
            <b>{eventText(event)}</b>
            <span>by {event.by}</span>
            <span className="jp-mlops-count">{formatUtc(event.at)}</span>
          </div>
          {gatesOf(event).map(gate => (
            <div key={gate.name} className="jp-mlops-meta">
              {gate.passed ? '✓' : '✗'} {gate.name}: {gate.reason}
            </div>
          ))}
        </li>
      ))}
    </ul>
  );
}
