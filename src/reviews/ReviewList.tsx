/**
 * A list of reviews: model and version, title, status, who asked and when, progress
 * towards approval. Selecting one opens its page.
 */
import React from 'react';

import { Review } from '../api/client';
import { formatUtc } from '../components/format';
import { progressText } from './format';
import { ReviewStatusBadge } from './StatusBadge';

const EMPTY: Record<string, string> = {
  waiting: 'No review is waiting for your decision.',
  mine: 'You have not requested a review yet.',
  open: 'No review is open.',
  all: 'No review has been requested yet.'
};

export function ReviewList(props: {
  view: string;
  reviews: Review[];
  onOpen: (review: Review) => void;
}): JSX.Element {
  if (props.reviews.length === 0) {
    return (
      <div className="jp-mlops-empty" data-testid="mlops-no-reviews">
        <p>{EMPTY[props.view] ?? 'No reviews.'}</p>
        <p>
          Register a model from a tracked run (<b>Register model…</b> in a
          run&apos;s detail, or <code>%mlops register RUN --name NAME</code>),
          then click <b>Request review</b> in the notebook toolbar or on the
          version in the Models tab.
        </p>
      </div>
    );
  }
  return (
    <ul className="jp-mlops-list" data-testid="mlops-review-list">
      {props.reviews.map(review => (
        <li
          key={review.id}
          data-testid="mlops-review"
          data-review={review.id}
          title={`Open review #${review.id} of ${review.model} v${review.version}`}
          onClick={() => props.onOpen(review)}
        >
          <span className="jp-mlops-list-name">
            {review.model} v{review.version}
          </span>
          <ReviewStatusBadge status={review.status} />
          <div className="jp-mlops-review-line">
            {review.title && (
              <span className="jp-mlops-review-title">{review.title}</span>
            )}
          </div>
          <div className="jp-mlops-meta">
            #{review.id} by{' '}
            {review.requested_by.display_name || review.requested_by.username} ·{' '}
            {formatUtc(review.created_at)} · {progressText(review)}
          </div>
        </li>
      ))}
    </ul>
  );
}
