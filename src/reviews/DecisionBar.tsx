/**
 * What the signed-in user can decide on a review: approve (with an optional note),
 * request changes (a note saying which is required), or, for its author, withdraw it.
 * Who may not decide is told why instead of being shown buttons that would be refused.
 */
import React, { useState } from 'react';

import { DecisionKind, Review } from '../api/client';
import { CommentForm } from './CommentForm';
import { mayDecide, sameUser, whyNoDecision } from './format';

type Action = DecisionKind | 'withdraw';

/** An action's button, and the box for its note that the button opens. */
interface IAction {
  kind: Action;
  testId: string;
  accept?: boolean;
  /** The note's box; its submit label is the button's. */
  box: {
    label: string;
    submitLabel: string;
    required: boolean;
    testId?: string;
  };
}

const APPROVE: IAction = {
  kind: 'approve',
  testId: 'mlops-review-approve',
  accept: true,
  box: {
    label: 'Note with your approval (optional)',
    submitLabel: 'Approve',
    required: false,
    testId: 'mlops-approve-form'
  }
};

const REQUEST_CHANGES: IAction = {
  kind: 'request_changes',
  testId: 'mlops-review-request-changes',
  box: {
    label: 'Which changes? (required)',
    submitLabel: 'Request changes',
    required: true,
    testId: 'mlops-changes-form'
  }
};

const WITHDRAW: IAction = {
  kind: 'withdraw',
  testId: 'mlops-review-withdraw',
  box: {
    label: 'Why withdraw? (optional)',
    submitLabel: 'Withdraw',
    required: false
  }
};

export function DecisionBar(props: {
  review: Review;
  me: string | null;
  onDecide: (decision: DecisionKind, note: string) => Promise<boolean>;
  onWithdraw: (note: string) => Promise<boolean>;
}): JSX.Element {
  const { review, me } = props;
  const [pending, setPending] = useState<Action | null>(null);
  const author = sameUser(me, review.requested_by.username);
  const open =
    review.status === 'open' || review.status === 'changes_requested';
  const why = whyNoDecision(review, me);
  // A poll may close the review while a form is open: the form goes with the right.
  const actions = [
    ...(mayDecide(review, me) ? [APPROVE, REQUEST_CHANGES] : []),
    ...(author && open ? [WITHDRAW] : [])
  ];
  const form = actions.find(a => a.kind === pending);
  const submit = async (kind: Action, note: string): Promise<boolean> => {
    const ok = await (kind === 'withdraw'
      ? props.onWithdraw(note)
      : props.onDecide(kind, note));
    if (ok) {
      setPending(null);
    }
    return ok;
  };
  return (
    <div className="jp-mlops-decision-bar" data-testid="mlops-review-decision">
      <div className="jp-mlops-toolbar">
        {actions.map(a => (
          <button
            key={a.kind}
            className={`jp-mlops-button${a.accept ? ' jp-mod-accept' : ''}`}
            data-testid={a.testId}
            onClick={() => setPending(a.kind)}
          >
            {a.box.submitLabel}
          </button>
        ))}
        {why && (
          <span className="jp-mlops-meta" data-testid="mlops-review-why">
            {why}
          </span>
        )}
      </div>
      {form && (
        <CommentForm
          key={form.kind}
          {...form.box}
          onCancel={() => setPending(null)}
          onSubmit={note => submit(form.kind, note)}
        />
      )}
    </div>
  );
}
