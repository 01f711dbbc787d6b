/**
 * The selected endpoint: what it serves and where, its rollout, its traffic per arm, Stop,
 * then its audit trail and the latest requests it answered.
 */
import React from 'react';

import { ServingEvent } from '../api/client';
import { ActorSourceKind } from '../components/ActorSource';
import { AuditList } from '../components/AuditList';
import { Messages } from '../components/Messages';
import {
  armRows,
  endpointState,
  eventNotes,
  eventText,
  modelText,
  versionText
} from './format';
import { LogTable } from './LogTable';
import { ServingModel } from './model';
import { RolloutSection } from './RolloutSection';
import { StateBadge } from './StateBadges';
import { TrafficTable } from './TrafficTable';

type AuditedEvent = ServingEvent & { by_source: ActorSourceKind };

export function EndpointView(props: {
  model: ServingModel;
}): JSX.Element | null {
  const { model } = props;
  const detail = model.detail;
  if (!detail) {
    return null;
  }
  const { summary } = detail;
  const status = summary.status;
  return (
    <div
      className="jp-mlops-serving-endpoint"
      data-testid="mlops-endpoint-detail"
    >
      <h3 className="jp-mlops-dataset-name">
        {summary.name} <StateBadge state={endpointState(summary)} />
      </h3>
      <div className="jp-mlops-meta">
        <div data-testid="mlops-endpoint-model">
          {modelText(summary)}
          {status && <> · answering {versionText(status.version)}</>}
        </div>
        {summary.url && (
          <div>
            <code data-testid="mlops-endpoint-url">
              {summary.url}/invocations
            </code>
          </div>
        )}
      </div>
      <Messages
        error={model.error ?? summary.error ?? null}
        notice={model.notice}
      />
      {status && <RolloutSection model={model} status={status} />}
      {status && (
        <>
          <h4 className="jp-mlops-serving-heading">Traffic, last minute</h4>
          <TrafficTable
            rows={armRows(
              status.version,
              status.rollout ?? null,
              status.traffic,
              status.rolled_back?.version ?? null
            )}
          />
        </>
      )}
      {summary.running && (
        <div className="jp-mlops-serving-actions">
          <button
            className="jp-mlops-button"
            data-testid="mlops-stop"
            disabled={model.acting !== null}
            onClick={() => void model.stopEndpoint()}
          >
            {model.acting === 'stop' ? 'Stopping…' : 'Stop endpoint'}
          </button>
        </div>
      )}
      <h4 className="jp-mlops-serving-heading">Audit trail</h4>
      <AuditList
        events={detail.events as AuditedEvent[]}
        kind="serving"
        lead="action"
        text={eventText}
        notes={eventNotes}
        empty="Nothing done on this endpoint yet."
      />
      <h4 className="jp-mlops-serving-heading">Latest requests</h4>
      <LogTable rows={detail.log} />
    </div>
  );
}
