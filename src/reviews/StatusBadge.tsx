/** A review's status as a coloured badge. */
import React from 'react';

import { ReviewStatus } from '../api/client';
import { REVIEW_STATUS_LABELS } from './format';

export function ReviewStatusBadge(props: {
  status: ReviewStatus;
}): JSX.Element {
  return (
    <span
      className={`jp-mlops-badge jp-mlops-review-status jp-mlops-review-${props.status}`}
      data-testid="mlops-review-status"
      data-status={props.status}
    >
      {REVIEW_STATUS_LABELS[props.status]}
    </span>
  );
}
