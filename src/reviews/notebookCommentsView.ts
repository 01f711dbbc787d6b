/**
 * The DOM of review comments in a notebook: the box at the end of a cell and the banner
 * at the top of the notebook. A comment's body is the reviewer's raw text: it is only
 * ever set as text (`textContent`), never parsed as HTML.
 */
import { Review, ReviewComment } from '../api/client';
import { formatUtc } from '../components/format';
import { IThread } from './format';
import {
  authorName,
  byReview,
  IPlacedThread,
  reviewLabel
} from './notebookComments';

/** Opens a review's page (the Reviews panel's command). */
export type OpenReview = (reviewId: number) => void;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** A button looking like a link that opens a review. */
export function reviewLink(review: Review, open: OpenReview): HTMLElement {
  const link = element(
    'button',
    'jp-mlops-link jp-mlops-review-link',
    reviewLabel(review)
  );
  link.type = 'button';
  link.dataset.testid = 'mlops-review-link';
  link.dataset.reviewId = String(review.id);
  link.title = review.title;
  link.addEventListener('click', event => {
    event.stopPropagation();
    open(review.id);
  });
  return link;
}

function commentNode(
  comment: ReviewComment,
  testid: string,
  reply: boolean
): HTMLElement {
  const node = element(
    'div',
    reply
      ? 'jp-mlops-nb-comment jp-mlops-nb-comment-reply'
      : 'jp-mlops-nb-comment'
  );
  node.dataset.testid = testid;
  node.dataset.commentId = String(comment.id);
  const head = element('div', 'jp-mlops-nb-comment-head');
  head.appendChild(
    element('span', 'jp-mlops-nb-comment-author', authorName(comment))
  );
  const time = element(
    'span',
    'jp-mlops-nb-comment-time',
    formatUtc(comment.created_at)
  );
  head.appendChild(time);
  if (comment.edited_at) {
    head.appendChild(element('span', 'jp-mlops-nb-comment-edited', 'edited'));
  }
  node.appendChild(head);
  node.appendChild(element('div', 'jp-mlops-nb-comment-body', comment.body));
  return node;
}

function threadNode(thread: IThread, testid: string): HTMLElement {
  const resolved = thread.comment.resolved;
  const node = element(
    'div',
    resolved ? 'jp-mlops-nb-thread jp-mod-resolved' : 'jp-mlops-nb-thread'
  );
  node.appendChild(commentNode(thread.comment, testid, false));
  for (const reply of thread.replies) {
    node.appendChild(commentNode(reply, testid, true));
  }
  if (resolved) {
    const by = thread.comment.resolved_by
      ? ` by ${thread.comment.resolved_by}`
      : '';
    const mark = element('div', 'jp-mlops-nb-resolved', `Resolved${by}`);
    mark.dataset.testid = 'mlops-comment-resolved';
    node.appendChild(mark);
  }
  return node;
}

/** Threads grouped under a link to their review. */
function reviewGroups(
  placed: readonly IPlacedThread[],
  open: OpenReview,
  testid: string,
  cellLabel = false
): HTMLElement[] {
  return byReview(placed).map(({ review, threads }) => {
    const group = element('div', 'jp-mlops-nb-review');
    group.appendChild(reviewLink(review, open));
    for (const thread of threads) {
      const anchor = thread.comment.anchor;
      if (cellLabel && anchor) {
        const where =
          typeof anchor.cell_index === 'number'
            ? `on cell ${anchor.cell_index + 1}`
            : `on cell ${anchor.cell_id}`;
        group.appendChild(element('div', 'jp-mlops-nb-where', where));
      }
      group.appendChild(threadNode(thread, testid));
    }
    return group;
  });
}

/** Fill a cell's box with its threads (the box's previous content is replaced). */
export function renderCellComments(
  node: HTMLElement,
  placed: readonly IPlacedThread[],
  open: OpenReview
): void {
  node.replaceChildren(...reviewGroups(placed, open, 'mlops-cell-comment'));
}

export interface IBannerContent {
  /** Every review of the notebook's runs, newest first. */
  reviews: readonly Review[];
  /** Threads on the whole review. */
  reviewWide: readonly IPlacedThread[];
  /** Threads on cells this notebook does not have (any more). */
  unplaced: readonly IPlacedThread[];
  /** The last refresh's error, if it failed. */
  error: string | null;
}

/** Fill the banner at the top of the notebook. */
export function renderBanner(
  node: HTMLElement,
  content: IBannerContent,
  open: OpenReview
): void {
  const children: HTMLElement[] = [];
  const head = element('div', 'jp-mlops-nb-banner-head');
  head.appendChild(
    element(
      'span',
      'jp-mlops-nb-banner-title',
      content.reviews.length === 1
        ? 'Review of this notebook’s model:'
        : 'Reviews of this notebook’s models:'
    )
  );
  content.reviews.forEach(review => head.appendChild(reviewLink(review, open)));
  children.push(head);
  if (content.error) {
    children.push(
      element(
        'div',
        'jp-mlops-error',
        `Could not load the reviews: ${content.error}`
      )
    );
  }
  if (content.reviewWide.length) {
    children.push(
      element('div', 'jp-mlops-nb-section', 'On the whole review'),
      ...reviewGroups(content.reviewWide, open, 'mlops-notebook-review-comment')
    );
  }
  if (content.unplaced.length) {
    children.push(
      element(
        'div',
        'jp-mlops-nb-section',
        'On cells this notebook no longer has'
      ),
      ...reviewGroups(
        content.unplaced,
        open,
        'mlops-notebook-review-comment',
        true
      )
    );
  }
  node.replaceChildren(...children);
}
