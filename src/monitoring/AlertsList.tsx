/**
 * Alerts, newest first: the breached rule, when, the actions recorded on it, and who
 * acknowledged it, or a button to acknowledge it as the signed-in user.
 */
import React from 'react';

import { Alert } from '../api/client';
import { ActorSource } from '../components/ActorSource';
import { formatUtc } from './format';

export interface IAlertsListProps {
  alerts: Alert[];
  /** Show the monitor's name on each alert (a list across monitors). */
  showMonitor?: boolean;
  onAcknowledge: (alertId: number) => void;
  onOpenPoint?: (monitor: string, pointId: number) => void;
}

export function AlertsList(props: IAlertsListProps): JSX.Element {
  if (props.alerts.length === 0) {
    return (
      <p className="jp-mlops-empty" data-testid="mlops-no-alerts">
        No open alerts.
      </p>
    );
  }
  return (
    <ul className="jp-mlops-alerts" data-testid="mlops-alerts">
      {props.alerts.map(a => (
        <li
          key={a.id}
          data-testid="mlops-alert"
          data-open={String(!a.acknowledged_at)}
          className={a.acknowledged_at ? 'jp-mlops-alert-done' : ''}
        >
          <div className="jp-mlops-alert-head">
            <b>Alert {a.id}</b>
            {props.showMonitor && <span>{a.monitor}</span>}
            <span className="jp-mlops-count">{formatUtc(a.created_at)}</span>
          </div>
          <div>{a.message}</div>
          {a.actions.map(action => (
            <div key={action.id} className="jp-mlops-meta">
              action {action.kind}:{action.job} — {action.status}
            </div>
          ))}
          <div className="jp-mlops-alert-foot">
            {props.onOpenPoint && (
              <button
                className="jp-mlops-button"
                data-testid="mlops-alert-point"
                onClick={() => props.onOpenPoint?.(a.monitor, a.point_id)}
              >
                Point {a.point_id}
              </button>
            )}
            {a.acknowledged_at ? (
              <span data-testid="mlops-alert-acked">
                ✓ acknowledged by {a.acknowledged_by}{' '}
                <ActorSource source={a.acknowledged_by_source} />,{' '}
                {formatUtc(a.acknowledged_at)}
              </span>
            ) : (
              <button
                className="jp-mlops-button jp-mod-accept"
                data-testid="mlops-alert-ack"
                onClick={() => props.onAcknowledge(a.id)}
              >
                Acknowledge
              </button>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
