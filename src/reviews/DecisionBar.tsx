/**
 * What the signed-in user can decide on a review: approve (with an optional note),
 * request changes (a note saying which is required), or, for its author, withdraw it.
 * Who may not decide is told why instead of being shown buttons that would be refused.
 */
import React, { useState } from 'react';

import { DecisionKind, Review } from '../api/client';
import { CommentForm } from './CommentForm';
import { mayDecide, sameUser, whyNoDecision } from './format';

type Pending = DecisionKind | 'withdraw' | null;

export function DecisionBar(props: {
  review: Review;
  me: string | null;
  onDecide: (decision: DecisionKind, note: string) => Promise<boolean>;
  onWithdraw: (note: string) => Promise<boolean>;
}): JSX.Element {
  const { review, me } = props;
  const [pending, setPending] = useState<Pending>(null);
  const author = sameUser(me, review.requested_by.username);
  const open =
    review.status === 'open' || review.status === 'changes_requested';
  const why = whyNoDecision(review, me);
  // A poll may close the review while a form is open: the form goes with the right.
  const deciding = mayDecide(review, me);
  const done = async (ok: boolean): Promise<boolean> => {
    if (ok) {
      setPending(null);
    }
    return ok;
  };
  return (
    <div className="jp-mlops-decision-bar" data-testid="mlops-review-decision">
      <div className="jp-mlops-toolbar">
        {deciding && (
          <>
            <button
              className="jp-mlops-button jp-mod-accept"
              data-testid="mlops-review-approve"
              onClick={() => setPending('approve')}
            >
              Approve
            </button>
            <button
              className="jp-mlops-button"
              data-testid="mlops-review-request-changes"
              onClick={() => setPending('request_changes')}
            >
              Request changes
            </button>
          </>
        )}
        {author && open && (
          <button
            className="jp-mlops-button"
            data-testid="mlops-review-withdraw"
            onClick={() => setPending('withdraw')}
          >
            Withdraw
          </button>
        )}
        {why && (
          <span className="jp-mlops-meta" data-testid="mlops-review-why">
            {why}
          </span>
        )}
      </div>
      {deciding && pending === 'approve' && (
        <CommentForm
          label="Note with your approval (optional)"
          submitLabel="Approve"
          required={false}
          testId="mlops-approve-form"
          onCancel={() => setPending(null)}
          onSubmit={async note => done(await props.onDecide('approve', note))}
        />
      )}
      {deciding && pending === 'request_changes' && (
        <CommentForm
          label="Which changes? (required)"
          submitLabel="Request changes"
          testId="mlops-changes-form"
          onCancel={() => setPending(null)}
          onSubmit={async note =>
            done(await props.onDecide('request_changes', note))
          }
        />
      )}
      {author && open && pending === 'withdraw' && (
        <CommentForm
          label="Why withdraw? (optional)"
          submitLabel="Withdraw"
          required={false}
          onCancel={() => setPending(null)}
          onSubmit={async note => done(await props.onWithdraw(note))}
        />
      )}
    </div>
  );
}
