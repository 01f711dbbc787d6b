/**
 * Placing the comments of a run's reviews on the cells of an open notebook: by cell id
 * first (wherever the cell moved), else by index; review-wide comments and comments on
 * cells the notebook no longer has are kept apart; replies stay in their thread.
 */
import { threadsOf } from '../reviews/format';
import {
  byReview,
  IReviewThreads,
  placedKey,
  placeReviewThreads,
  reviewLabel
} from '../reviews/notebookComments';
import { atIndex, comment, onCell, review } from './reviewsFixtures';

function reviewed(
  id: number,
  comments: Parameters<typeof threadsOf>[0]
): IReviewThreads {
  return { review: review(id), threads: threadsOf(comments) };
}

const CELLS = ['c-imports', 'c-load', 'c-train', 'c-eval'];

describe('placeReviewThreads', () => {
  it('puts a comment on the cell with its anchor’s id, wherever that cell is now', () => {
    // Commented when c-train was cell 1; the notebook has moved it to index 2.
    const placed = placeReviewThreads(
      [reviewed(1, [comment(1, { anchor: onCell('c-train', 1) })])],
      CELLS
    );
    expect([...placed.byCell.keys()]).toEqual([2]);
    expect(placed.byCell.get(2)?.[0].thread.comment.id).toBe(1);
    expect(placed.unplaced).toEqual([]);
  });

  it('falls back on the index when the anchor has no cell id', () => {
    const placed = placeReviewThreads(
      [reviewed(1, [comment(1, { anchor: atIndex(3) })])],
      CELLS
    );
    expect([...placed.byCell.keys()]).toEqual([3]);
  });

  it('keeps aside a comment whose cell is gone instead of guessing by index', () => {
    const placed = placeReviewThreads(
      [
        reviewed(1, [
          comment(1, { anchor: onCell('c-deleted', 1) }),
          comment(2, { anchor: atIndex(9) })
        ])
      ],
      CELLS
    );
    expect(placed.byCell.size).toBe(0);
    expect(placed.unplaced.map(p => p.thread.comment.id)).toEqual([1, 2]);
  });

  it('puts comments without an anchor on the whole review', () => {
    const placed = placeReviewThreads(
      [reviewed(1, [comment(1), comment(2, { anchor: atIndex(0) })])],
      CELLS
    );
    expect(placed.reviewWide.map(p => p.thread.comment.id)).toEqual([1]);
    expect(placed.byCell.get(0)?.map(p => p.thread.comment.id)).toEqual([2]);
  });

  it('keeps replies in their thread, not as comments of their own', () => {
    const placed = placeReviewThreads(
      [
        reviewed(1, [
          comment(1, { anchor: onCell('c-load') }),
          comment(2, { parent_id: 1, anchor: onCell('c-load') }),
          comment(3, { parent_id: 1, anchor: onCell('c-load') })
        ])
      ],
      CELLS
    );
    const threads = placed.byCell.get(1) ?? [];
    expect(threads).toHaveLength(1);
    expect(threads[0].thread.replies.map(r => r.id)).toEqual([2, 3]);
  });

  it('gathers the threads of several reviews on one cell, each with its review', () => {
    const placed = placeReviewThreads(
      [
        reviewed(5, [comment(1, { anchor: onCell('c-eval') })]),
        reviewed(4, [comment(2, { anchor: onCell('c-eval') })])
      ],
      CELLS
    );
    expect(placed.byCell.get(3)?.map(p => p.review.id)).toEqual([5, 4]);
    expect(byReview(placed.byCell.get(3) ?? []).map(g => g.review.id)).toEqual([
      5, 4
    ]);
  });
});

describe('byReview', () => {
  it('groups placed threads under their review in first-seen order', () => {
    const a = review(1);
    const b = review(2);
    const [t1, t2, t3] = threadsOf([comment(1), comment(2), comment(3)]);
    const groups = byReview([
      { review: b, thread: t1 },
      { review: a, thread: t2 },
      { review: b, thread: t3 }
    ]);
    expect(groups.map(g => [g.review.id, g.threads.length])).toEqual([
      [2, 2],
      [1, 1]
    ]);
  });
});

describe('reviewLabel', () => {
  it('names the review, its version and its status in words', () => {
    expect(reviewLabel(review(3, { status: 'changes_requested' }))).toBe(
      'Review #3: churn v2 (changes requested)'
    );
    expect(reviewLabel(review(4, { model: 'fraud', version: 7 }))).toBe(
      'Review #4: fraud v7 (open)'
    );
  });
});

describe('placedKey', () => {
  const place = (c = comment(1), status: 'open' | 'approved' = 'open') => [
    { review: review(1, { status }), thread: threadsOf([c])[0] }
  ];

  it('is the same for the same comments', () => {
    expect(placedKey(place())).toBe(placedKey(place()));
  });

  it('changes with an edit, a resolution or the review’s status', () => {
    const base = placedKey(place());
    expect(placedKey(place(comment(1, { body: 'edited' })))).not.toBe(base);
    expect(placedKey(place(comment(1, { resolved: true })))).not.toBe(base);
    expect(placedKey(place(comment(1), 'approved'))).not.toBe(base);
  });
});
