/**
 * An endpoint's state badge (serving, stopped, unreachable) and its rollout's badge
 * (a canary's share, a shadow, a rollback).
 */
import React from 'react';

import { EndpointStatus } from '../api/client';
import { formatNumber } from '../components/format';
import { EndpointState } from './format';

const STATE_TITLES: Record<EndpointState, string> = {
  serving: 'Its router answers requests',
  stopped: 'Not running: its log and audit trail remain',
  unreachable: 'Its router runs but did not say its status'
};

export function StateBadge(props: { state: EndpointState }): JSX.Element {
  return (
    <span
      className={`jp-mlops-badge jp-mlops-serving-${props.state}`}
      data-testid="mlops-endpoint-state"
      data-state={props.state}
      title={STATE_TITLES[props.state]}
    >
      {props.state}
    </span>
  );
}

/** What runs beside the champion, or the last rollback; nothing otherwise. */
export function RolloutBadge(props: {
  status: EndpointStatus | null | undefined;
}): JSX.Element | null {
  const status = props.status;
  if (status?.rollout) {
    const { mode, version, percent } = status.rollout;
    return (
      <span
        className="jp-mlops-badge jp-mlops-serving-rollout"
        data-testid="mlops-rollout-badge"
        title={`A ${mode} of v${version} runs beside the champion`}
      >
        {mode === 'canary' ? `canary ${formatNumber(percent ?? 0)}%` : mode}
      </span>
    );
  }
  if (status?.rolled_back) {
    return (
      <span
        className="jp-mlops-badge jp-mlops-serving-rolled-back"
        data-testid="mlops-rollout-badge"
        title={status.rolled_back.reason}
      >
        rolled back
      </span>
    );
  }
  return null;
}
