/**
 * A job's audit trail, newest first: who changed what, when, and the gates' verdicts of
 * a promotion.
 */
import React from 'react';

import { GateResult, JobEvent } from '../api/client';
import { ActorSource } from '../components/ActorSource';
import { formatUtc } from '../components/format';

/**
 * What an event did, in words: `promote staging v1 → v2`, `pause dev v1`,
 * `schedule staging v1: 0 7 * * * in Europe/Paris`.
 */
export function eventText(event: JobEvent): string {
  const parts = [event.action];
  if (event.stage) {
    parts.push(event.stage);
  }
  const { version_from: from, version_to: to } = event;
  if (to !== null) {
    parts.push(from !== null && from !== to ? `v${from} → v${to}` : `v${to}`);
  }
  let text = parts.join(' ');
  if (event.action === 'schedule' && 'cron' in event.detail) {
    const cron = event.detail['cron'];
    text += cron
      ? `: ${String(cron)} in ${String(event.detail['timezone'])}`
      : ': manual';
  }
  return text;
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
            <ActorSource source={event.by_source} />
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
