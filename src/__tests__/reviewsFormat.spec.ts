/**
 * The reviews views' pure parts: threads, their placement on cells, who may decide, and
 * audit events in words.
 */
import { ReviewEvent } from '../api/client';
import {
  mayDecide,
  placeThreads,
  progressText,
  reviewEventText,
  rulesText,
  threadsOf,
  whyNoDecision
} from '../reviews/format';

import { comment, review as reviewOf } from './reviewsFixtures';

/** Review 7 of cancer v2 by alice; bob and carol review, two approvals needed. */
const review = (overrides = {}) =>
  reviewOf(7, {
    model: 'cancer',
    rules: {
      reviewers: ['bob', 'carol'],
      approvals_required: 2,
      alias: 'champion'
    },
    ...overrides
  });

describe('threadsOf', () => {
  it('puts replies under their parent, oldest first', () => {
    const threads = threadsOf([
      comment(3, { parent_id: 1 }),
      comment(1),
      comment(2),
      comment(4, { parent_id: 1 })
    ]);
    expect(threads.map(t => t.comment.id)).toEqual([1, 2]);
    expect(threads[0].replies.map(r => r.id)).toEqual([3, 4]);
  });

  it('keeps a reply whose parent is unknown as a thread of its own', () => {
    const threads = threadsOf([comment(5, { parent_id: 99 })]);
    expect(threads.map(t => t.comment.id)).toEqual([5]);
  });
});

describe('placeThreads', () => {
  const cells = [
    { index: 0, id: 'imports' },
    { index: 1, id: 'train' },
    { index: 2, id: 'evaluate' }
  ];

  it('places by cell id first, even when the index moved', () => {
    const placed = placeThreads(
      threadsOf([comment(1, { anchor: { cell_id: 'train', cell_index: 2 } })]),
      cells
    );
    expect(placed.byCell.get(1)?.map(t => t.comment.id)).toEqual([1]);
    expect(placed.byCell.get(2)).toBeUndefined();
  });

  it('places by index when the cells have no ids', () => {
    const placed = placeThreads(
      threadsOf([comment(1, { anchor: { cell_id: null, cell_index: 2 } })]),
      cells.map(c => ({ index: c.index, id: null }))
    );
    expect(placed.byCell.get(2)?.length).toBe(1);
  });

  it('lists comments on cells that are gone, and review-wide ones apart', () => {
    const placed = placeThreads(
      threadsOf([
        comment(1, { anchor: { cell_id: 'deleted', cell_index: 1 } }),
        comment(2),
        comment(3, { anchor: { cell_id: null, cell_index: 9 } })
      ]),
      cells
    );
    expect(placed.unplaced.map(t => t.comment.id)).toEqual([1, 3]);
    expect(placed.general.map(t => t.comment.id)).toEqual([2]);
    expect(placed.byCell.size).toBe(0);
  });
});

describe('who decides', () => {
  it('lets a listed reviewer decide, not the author nor an outsider', () => {
    const r = review();
    expect(mayDecide(r, 'bob')).toBe(true);
    expect(mayDecide(r, 'alice')).toBe(false);
    expect(mayDecide(r, 'mallory')).toBe(false);
    expect(mayDecide(r, null)).toBe(false);
    expect(whyNoDecision(r, 'alice')).toMatch(/You requested this review/);
    expect(whyNoDecision(r, 'mallory')).toBe('Only bob, carol may decide.');
    expect(whyNoDecision(r, 'bob')).toBeNull();
    expect(whyNoDecision(r, null)).toMatch(/has not told who you are/);
  });

  it('lets anyone but the author decide without a reviewers group', () => {
    const r = review({
      rules: { reviewers: [], approvals_required: 1, alias: null }
    });
    expect(mayDecide(r, 'mallory')).toBe(true);
    expect(mayDecide(r, 'alice')).toBe(false);
  });

  it('compares usernames as the server does: case and width do not matter', () => {
    const r = review();
    expect(mayDecide(r, 'ALICE')).toBe(false);
    expect(mayDecide(r, '\uff41lice')).toBe(false); // a full-width a
    expect(mayDecide(r, 'Bob')).toBe(true);
  });

  it('says when only signed-in decisions count', () => {
    expect(rulesText(review())).not.toMatch(/signed-in decisions/);
    expect(rulesText(review({ authenticated_only: true }))).toMatch(
      /only signed-in decisions count/
    );
  });

  it('closes decisions once approved or withdrawn', () => {
    expect(mayDecide(review({ status: 'approved' }), 'bob')).toBe(false);
    expect(whyNoDecision(review({ status: 'withdrawn' }), 'bob')).toMatch(
      /withdrawn/
    );
  });

  it('says how far a review is from approval', () => {
    expect(progressText(review({ approvals: ['bob'] }))).toBe(
      '1 of 2 approvals (bob)'
    );
  });
});

describe('reviewEventText', () => {
  const event = (
    action: string,
    detail: Record<string, unknown>
  ): ReviewEvent => ({
    id: 1,
    review_id: 7,
    at: '2026-11-24T10:00:00',
    by: 'bob',
    by_source: 'authenticated',
    action,
    detail
  });

  it('tells alias moves, decisions and comments on cells', () => {
    expect(
      reviewEventText(
        event('alias-moved', {
          alias: 'champion',
          from_version: 1,
          to_version: 2
        })
      )
    ).toBe('moved alias “champion” v1 → v2');
    expect(
      reviewEventText(
        event('alias-moved', {
          alias: 'champion',
          from_version: null,
          to_version: 1
        })
      )
    ).toBe('moved alias “champion” to v1');
    expect(reviewEventText(event('request-changes', { note: 'seed it' }))).toBe(
      'requested changes: seed it'
    );
    expect(reviewEventText(event('comment', { cell_index: 0 }))).toBe(
      'commented on cell 1'
    );
    expect(reviewEventText(event('something-new', {}))).toBe('something-new');
  });
});
