/**
 * The "N–M of total" arithmetic of server-side paging.
 */
import { IPageRange, pageRange } from '../components/Pager';

/** [what it shows, [page, pageSize, count, total], the range]. */
const CASES: [string, [number, number, number, number], IPageRange][] = [
  [
    'numbers the rows of a middle page from 1 and allows both directions',
    [1, 50, 50, 120],
    { first: 51, last: 100, hasPrev: true, hasNext: true }
  ],
  [
    'stops at the last, partial page',
    [2, 50, 20, 120],
    { first: 101, last: 120, hasPrev: true, hasNext: false }
  ],
  [
    'shows 0–0 of 0 with no way to move when nothing matches',
    [0, 50, 0, 0],
    { first: 0, last: 0, hasPrev: false, hasNext: false }
  ]
];

describe('pageRange', () => {
  it.each(CASES)('%s', (_, [page, pageSize, count, total], range) => {
    expect(pageRange(page, pageSize, count, total)).toEqual(range);
  });
});
