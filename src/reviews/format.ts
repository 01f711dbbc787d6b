/**
 * Words and groupings of the reviews views: status labels, a review's rules and progress
 * in a line, comment threads placed on the notebook's cells, and audit events as text.
 * Pure functions (tested in src/__tests__/reviewsFormat.spec.ts).
 */
import {
  NotebookCell,
  Review,
  ReviewComment,
  ReviewEvent,
  ReviewStatus
} from '../api/client';

export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  open: 'open',
  approved: 'approved',
  changes_requested: 'changes requested',
  withdrawn: 'withdrawn'
};

/** `1 of 2 approvals (bob)`: how far a review is from approval. */
export function progressText(review: Review): string {
  const { approvals, rules } = review;
  const who = approvals.length ? ` (${approvals.join(', ')})` : '';
  return `${approvals.length} of ${rules.approvals_required} approval${
    rules.approvals_required === 1 ? '' : 's'
  }${who}`;
}

/** Who may decide and what approval does, e.g. `reviewers: bob, carol · moves champion`. */
export function rulesText(review: Review): string {
  const { rules } = review;
  const reviewers = rules.reviewers?.length
    ? `reviewers: ${rules.reviewers.join(', ')}`
    : 'any signed-in user but the author reviews';
  const alias = rules.alias
    ? `approval moves alias “${rules.alias}”`
    : 'approval moves no alias';
  const counted = review.authenticated_only
    ? ' · only signed-in decisions count (not those a kernel asserts)'
    : '';
  return `${reviewers} · ${alias}${counted}`;
}

/** A username as the server compares it: Unicode NFKC, case folded. */
function userKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/** Whether two usernames name one user, as the server decides it. */
export function sameUser(a: string | null, b: string): boolean {
  return a !== null && userKey(a) === userKey(b);
}

/** Whether `username` may approve or request changes on `review` now. */
export function mayDecide(review: Review, username: string | null): boolean {
  if (
    !username ||
    userKey(username) === userKey(review.requested_by.username)
  ) {
    return false;
  }
  if (review.status === 'withdrawn' || review.status === 'approved') {
    return false;
  }
  const reviewers = review.rules.reviewers ?? [];
  return (
    reviewers.length === 0 || reviewers.map(userKey).includes(userKey(username))
  );
}

/** Why `username` cannot decide on `review` (null when they can). */
export function whyNoDecision(
  review: Review,
  username: string | null
): string | null {
  if (review.status === 'approved') {
    return 'This review is approved.';
  }
  if (review.status === 'withdrawn') {
    return 'This review was withdrawn.';
  }
  if (!username) {
    return 'JupyterLab has not told who you are yet: decisions need a signed-in user.';
  }
  if (sameUser(username, review.requested_by.username)) {
    return 'You requested this review: a reviewer decides.';
  }
  if (!mayDecide(review, username)) {
    return `Only ${(review.rules.reviewers ?? []).join(', ')} may decide.`;
  }
  return null;
}

/** A comment with its replies, oldest first. */
export interface IThread {
  comment: ReviewComment;
  replies: ReviewComment[];
}

/** Top-level comments with their replies, oldest first (replies to unknown parents are
 * kept as threads of their own, so nothing is hidden). */
export function threadsOf(comments: ReviewComment[]): IThread[] {
  const byId = new Map<number, IThread>();
  const threads: IThread[] = [];
  const sorted = [...comments].sort((a, b) => a.id - b.id);
  for (const comment of sorted) {
    const parent =
      comment.parent_id !== null && comment.parent_id !== undefined
        ? byId.get(comment.parent_id)
        : undefined;
    if (parent) {
      parent.replies.push(comment);
    } else {
      const thread = { comment, replies: [] };
      byId.set(comment.id, thread);
      threads.push(thread);
    }
  }
  return threads;
}

/** Threads placed on the cells they are anchored to. */
export interface IPlacedThreads {
  /** Cell index → its threads. */
  byCell: Map<number, IThread[]>;
  /** Threads on the whole review (no anchor). */
  general: IThread[];
  /** Anchored threads whose cell is not in this notebook (by id nor index). */
  unplaced: IThread[];
}

/** Place threads on cells: by cell id first, else by index when the id is unknown. */
export function placeThreads(
  threads: IThread[],
  cells: Pick<NotebookCell, 'index' | 'id'>[]
): IPlacedThreads {
  const indexOfId = new Map<string, number>();
  cells.forEach(cell => {
    if (cell.id) {
      indexOfId.set(cell.id, cell.index);
    }
  });
  const indexes = new Set(cells.map(cell => cell.index));
  const placed: IPlacedThreads = {
    byCell: new Map(),
    general: [],
    unplaced: []
  };
  for (const thread of threads) {
    const anchor = thread.comment.anchor;
    if (!anchor) {
      placed.general.push(thread);
      continue;
    }
    let index: number | undefined;
    if (anchor.cell_id && indexOfId.has(anchor.cell_id)) {
      index = indexOfId.get(anchor.cell_id);
    } else if (
      anchor.cell_index !== null &&
      anchor.cell_index !== undefined &&
      indexes.has(anchor.cell_index) &&
      !(anchor.cell_id && cells.some(c => c.id))
    ) {
      index = anchor.cell_index;
    }
    if (index === undefined) {
      placed.unplaced.push(thread);
    } else {
      placed.byCell.set(index, [...(placed.byCell.get(index) ?? []), thread]);
    }
  }
  return placed;
}

/** An audited action in words: `approved: looks good`, `moved champion to v2`. */
export function reviewEventText(event: ReviewEvent): string {
  const d = event.detail as Record<string, unknown>;
  const note =
    typeof d['note'] === 'string' && d['note'] ? `: ${d['note']}` : '';
  const cell =
    d['cell_index'] !== null && d['cell_index'] !== undefined
      ? ` on cell ${Number(d['cell_index']) + 1}`
      : '';
  switch (event.action) {
    case 'request':
      return 'requested the review';
    case 'comment':
      return `commented${cell}`;
    case 'reply':
      return `replied${cell}`;
    case 'edit-comment':
      return `edited a comment${cell}`;
    case 'resolve':
      return `resolved a thread${cell}`;
    case 'unresolve':
      return `reopened a thread${cell}`;
    case 'approve':
      return `approved${note}`;
    case 'request-changes':
      return `requested changes${note}`;
    case 'status':
      return `status ${String(d['from'])} → ${String(d['to'])}`;
    case 'alias-moved':
      return d['from_version'] !== null && d['from_version'] !== undefined
        ? `moved alias “${String(d['alias'])}” v${String(d['from_version'])} → v${String(d['to_version'])}`
        : `moved alias “${String(d['alias'])}” to v${String(d['to_version'])}`;
    case 'alias-move-failed':
      return `could not move alias “${String(d['alias'])}”: ${String(d['error'] ?? '')}`;
    case 'withdraw':
      return `withdrew the review${note}`;
    default:
      return event.action;
  }
}
