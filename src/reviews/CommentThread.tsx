/**
 * One comment thread: the comment, its replies, and what the signed-in user may do with
 * them (reply, resolve or reopen, edit their own). Every body is rendered as text.
 */
import React, { useState } from 'react';

import { ReviewComment } from '../api/client';
import { formatUtc } from '../components/format';
import { CommentForm } from './CommentForm';
import { IThread, sameUser } from './format';

export interface ICommentActions {
  me: string | null;
  onReply: (parentId: number, body: string) => Promise<boolean>;
  onEdit: (commentId: number, body: string) => Promise<boolean>;
  onResolve: (commentId: number, resolved: boolean) => Promise<boolean>;
}

/** What a form that closes when the server took its text submits. */
function closingOnSuccess(
  action: (text: string) => Promise<boolean>,
  close: () => void
): (text: string) => Promise<boolean> {
  return async text => {
    const ok = await action(text);
    if (ok) {
      close();
    }
    return ok;
  };
}

function CommentItem(
  props: { comment: ReviewComment } & ICommentActions
): JSX.Element {
  const { comment } = props;
  const [editing, setEditing] = useState(false);
  const mine = sameUser(props.me, comment.author.username);
  return (
    <div
      className="jp-mlops-comment"
      data-testid="mlops-review-comment"
      data-comment={comment.id}
    >
      <div className="jp-mlops-comment-head">
        <b title={comment.author.username}>
          {comment.author.display_name || comment.author.username}
        </b>
        <span className="jp-mlops-count">
          {formatUtc(comment.created_at)}
          {comment.edited_at ? ' (edited)' : ''}
        </span>
        {mine && !editing && (
          <button
            className="jp-mlops-link"
            data-testid="mlops-comment-edit"
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
        )}
      </div>
      {editing ? (
        <CommentForm
          label="Edit your comment"
          submitLabel="Save"
          initial={comment.body}
          onCancel={() => setEditing(false)}
          onSubmit={closingOnSuccess(
            text => props.onEdit(comment.id, text),
            () => setEditing(false)
          )}
        />
      ) : (
        <div className="jp-mlops-comment-body" data-testid="mlops-comment-body">
          {comment.body}
        </div>
      )}
    </div>
  );
}

export function CommentThread(
  props: { thread: IThread } & ICommentActions
): JSX.Element {
  const { comment, replies } = props.thread;
  const [replying, setReplying] = useState(false);
  return (
    <div
      className={`jp-mlops-thread${comment.resolved ? ' jp-mod-resolved' : ''}`}
      data-testid="mlops-review-thread"
      data-resolved={comment.resolved}
    >
      <CommentItem comment={comment} {...props} />
      {replies.map(reply => (
        <div key={reply.id} className="jp-mlops-reply">
          <CommentItem comment={reply} {...props} />
        </div>
      ))}
      {comment.resolved && (
        <div className="jp-mlops-meta" data-testid="mlops-thread-resolved">
          Resolved by {comment.resolved_by} · {formatUtc(comment.resolved_at)}
        </div>
      )}
      {replying ? (
        <CommentForm
          label="Reply"
          submitLabel="Reply"
          onCancel={() => setReplying(false)}
          onSubmit={closingOnSuccess(
            text => props.onReply(comment.id, text),
            () => setReplying(false)
          )}
        />
      ) : (
        <div className="jp-mlops-thread-actions">
          <button
            className="jp-mlops-link"
            data-testid="mlops-thread-reply"
            onClick={() => setReplying(true)}
          >
            Reply
          </button>
          <button
            className="jp-mlops-link"
            data-testid="mlops-thread-resolve"
            onClick={() => void props.onResolve(comment.id, !comment.resolved)}
          >
            {comment.resolved ? 'Reopen' : 'Resolve'}
          </button>
        </div>
      )}
    </div>
  );
}

/** Threads, then a way to start a new one. */
export function ThreadList(
  props: {
    threads: IThread[];
    newLabel: string;
    onComment: (body: string) => Promise<boolean>;
    testId?: string;
    /** Show the new-comment box open (else behind an "Add comment" link). */
    open?: boolean;
    /** Whether a new thread can start here (false: replies only). */
    allowNew?: boolean;
  } & ICommentActions
): JSX.Element {
  const [adding, setAdding] = useState(props.open ?? false);
  return (
    <div className="jp-mlops-threads" data-testid={props.testId}>
      {props.threads.map(thread => (
        <CommentThread key={thread.comment.id} thread={thread} {...props} />
      ))}
      {props.allowNew === false ? null : adding ? (
        <CommentForm
          label={props.newLabel}
          submitLabel="Comment"
          onCancel={props.open ? undefined : () => setAdding(false)}
          // A box shown open stays open for the next comment.
          onSubmit={closingOnSuccess(props.onComment, () =>
            setAdding(props.open ?? false)
          )}
        />
      ) : (
        <button
          className="jp-mlops-link"
          data-testid="mlops-add-comment"
          title={props.newLabel}
          onClick={() => setAdding(true)}
        >
          + Comment
        </button>
      )}
    </div>
  );
}
