/**
 * The "N–M of total" arithmetic of server-side paging.
 */
import { pageRange } from '../components/Pager';

describe('pageRange', () => {
  it('numbers the rows of a middle page from 1 and allows both directions', () => {
    expect(pageRange(1, 50, 50, 120)).toEqual({
      first: 51,
      last: 100,
      hasPrev: true,
      hasNext: true
    });
  });

  it('stops at the last, partial page', () => {
    expect(pageRange(2, 50, 20, 120)).toEqual({
      first: 101,
      last: 120,
      hasPrev: true,
      hasNext: false
    });
  });

  it('shows 0–0 of 0 with no way to move when nothing matches', () => {
    expect(pageRange(0, 50, 0, 0)).toEqual({
      first: 0,
      last: 0,
      hasPrev: false,
      hasNext: false
    });
  });
});
