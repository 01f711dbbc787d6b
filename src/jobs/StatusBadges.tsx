/**
 * A run's or a step's status, and a stage with the version it runs, as badges.
 */
import React from 'react';

import { StageState } from '../api/client';
import { Status, STATUS_LABELS } from './format';

export function StatusBadge(props: {
  status: Status;
  title?: string;
}): JSX.Element {
  return (
    <span
      className={`jp-mlops-badge jp-mlops-job-status jp-mlops-job-${props.status}`}
      data-testid="mlops-job-status"
      data-status={props.status}
      title={props.title}
    >
      {STATUS_LABELS[props.status]}
    </span>
  );
}

/** `dev v2`; a stage without a version is not shown. */
export function StageBadge(props: { stage: StageState }): JSX.Element | null {
  const { stage } = props;
  if (stage.version === null) {
    return null;
  }
  return (
    <span
      className={`jp-mlops-badge jp-mlops-stage jp-mlops-stage-${stage.stage}`}
      data-testid="mlops-stage-badge"
      data-stage={stage.stage}
      title={`${stage.stage} runs version ${stage.version}`}
    >
      {stage.stage} v{stage.version}
    </span>
  );
}
