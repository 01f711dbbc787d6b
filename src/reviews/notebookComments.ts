/**
 * Where the comments of several reviews go in an open notebook: each review's threads
 * are placed on the notebook's cells by the review page's own rule (format.ts: the
 * anchor's cell id first, else its index), so a comment sits beside the same cell in the
 * notebook as on the review page; threads without an anchor are on the whole review, and
 * threads whose cell the notebook no longer has are kept aside, never dropped.
 * Pure functions: no DOM, no requests.
 */
import { Review, ReviewComment } from '../api/client';
import { IThread, placeThreads, REVIEW_STATUS_LABELS } from './format';

/** A review and the threads of its comments. */
export interface IReviewThreads {
  review: Review;
  threads: IThread[];
}

/** One thread with the review it belongs to (for its link). */
export interface IPlacedThread {
  review: Review;
  thread: IThread;
}

/** Threads by notebook cell index, on the whole review, and on cells not found. */
export interface INotebookPlacement {
  byCell: Map<number, IPlacedThread[]>;
  reviewWide: IPlacedThread[];
  unplaced: IPlacedThread[];
}

/** `Review #N: model vX (status)`, the text of a link to a review. */
export function reviewLabel(review: Review): string {
  const status = REVIEW_STATUS_LABELS[review.status] ?? review.status;
  return `Review #${review.id}: ${review.model} v${review.version} (${status})`;
}

/** The name to show for a comment's author. */
export function authorName(comment: ReviewComment): string {
  return comment.author.display_name || comment.author.username;
}

/**
 * Place every review's threads on a notebook whose cells have the ids `cellIds`, in
 * order (JupyterLab gives every cell of an open notebook an id).
 */
export function placeReviewThreads(
  reviews: readonly IReviewThreads[],
  cellIds: readonly string[]
): INotebookPlacement {
  const cells = cellIds.map((id, index) => ({ id, index }));
  const placement: INotebookPlacement = {
    byCell: new Map(),
    reviewWide: [],
    unplaced: []
  };
  for (const { review, threads } of reviews) {
    const placed = placeThreads(threads, cells);
    const withReview = (thread: IThread) => ({ review, thread });
    placed.byCell.forEach((list, index) => {
      placement.byCell.set(index, [
        ...(placement.byCell.get(index) ?? []),
        ...list.map(withReview)
      ]);
    });
    placement.reviewWide.push(...placed.general.map(withReview));
    placement.unplaced.push(...placed.unplaced.map(withReview));
  }
  return placement;
}

/** Placed threads grouped by their review, in first-seen order. */
export function byReview(placed: readonly IPlacedThread[]): IReviewThreads[] {
  const groups = new Map<number, IReviewThreads>();
  for (const { review, thread } of placed) {
    const group = groups.get(review.id) ?? { review, threads: [] };
    group.threads.push(thread);
    groups.set(review.id, group);
  }
  return [...groups.values()];
}

/**
 * A key that changes whenever what a list of placed threads shows changes (a comment or
 * reply, an edit, a resolution, a review's status), so an unchanged box is not redrawn.
 */
export function placedKey(placed: readonly IPlacedThread[]): string {
  return JSON.stringify(
    placed.map(({ review, thread }) => [
      review.id,
      review.status,
      review.model,
      review.version,
      review.title,
      [thread.comment, ...thread.replies].map(c => [
        c.id,
        c.body,
        c.created_at,
        c.edited_at,
        c.resolved,
        c.resolved_by,
        c.author.display_name,
        c.author.username
      ])
    ])
  );
}
