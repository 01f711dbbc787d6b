/**
 * The DOM of review comments in a notebook: a comment is the reviewer's raw text, shown
 * as text whatever it contains; threads show author, replies and resolution under a link
 * to their review; the banner holds review-wide comments and comments on missing cells.
 */
import { threadsOf } from '../reviews/format';
import { IPlacedThread } from '../reviews/notebookComments';
import {
  renderBanner,
  renderCellComments
} from '../reviews/notebookCommentsView';
import { atIndex, comment, review } from './reviewsFixtures';

const HOSTILE = '<img src=x onerror="window.__mlopsPwned = 1">';

function placed(
  comments: Parameters<typeof threadsOf>[0],
  r = review(7)
): IPlacedThread[] {
  return threadsOf(comments).map(thread => ({ review: r, thread }));
}

afterEach(() => {
  delete (window as any).__mlopsPwned;
});

describe('renderCellComments', () => {
  it('shows a comment with HTML in it as the literal text, never as elements', () => {
    const node = document.createElement('div');
    document.body.appendChild(node);
    renderCellComments(
      node,
      placed([comment(1, { body: HOSTILE, anchor: atIndex(0) })]),
      () => undefined
    );
    const body = node.querySelector('.jp-mlops-nb-comment-body');
    expect(body?.textContent).toBe(HOSTILE);
    expect(node.textContent).toContain(HOSTILE);
    expect(node.querySelector('img')).toBeNull();
    expect(node.innerHTML).toContain('&lt;img');
    expect((window as any).__mlopsPwned).toBeUndefined();
    node.remove();
  });

  it('keeps HTML in author names, review titles and models as text too', () => {
    const node = document.createElement('div');
    renderCellComments(
      node,
      placed(
        [
          comment(1, {
            author: {
              username: 'eve',
              display_name: HOSTILE,
              anonymous: false,
              source: null
            }
          })
        ],
        review(7, { model: '<b>m</b>', title: HOSTILE })
      ),
      () => undefined
    );
    expect(node.querySelector('img')).toBeNull();
    expect(node.querySelector('b')).toBeNull();
    expect(node.textContent).toContain('Review #7: <b>m</b> v2 (open)');
  });

  it('shows each comment and reply with its author, and a resolved thread as resolved', () => {
    const node = document.createElement('div');
    renderCellComments(
      node,
      placed([
        comment(1, {
          body: 'why drop these rows?',
          resolved: true,
          resolved_by: 'alice'
        }),
        comment(2, {
          parent_id: 1,
          body: 'they are duplicates',
          author: {
            username: 'alice',
            display_name: '',
            anonymous: false,
            source: null
          }
        })
      ]),
      () => undefined
    );
    const shown = node.querySelectorAll('[data-testid="mlops-cell-comment"]');
    expect(shown).toHaveLength(2);
    expect(shown[0].textContent).toContain('Bob');
    expect(shown[0].textContent).toContain('why drop these rows?');
    expect(shown[1].classList).toContain('jp-mlops-nb-comment-reply');
    expect(shown[1].textContent).toContain('alice'); // no display name: the username
    expect(
      node.querySelector('[data-testid="mlops-comment-resolved"]')?.textContent
    ).toBe('Resolved by alice');
    expect(node.querySelector('.jp-mlops-nb-thread')?.classList).toContain(
      'jp-mod-resolved'
    );
  });

  it('links to the review: a click opens it', () => {
    const node = document.createElement('div');
    const opened: number[] = [];
    renderCellComments(
      node,
      placed([comment(1)], review(12, { status: 'approved', version: 3 })),
      id => opened.push(id)
    );
    const link = node.querySelector(
      '[data-testid="mlops-review-link"]'
    ) as HTMLButtonElement;
    expect(link.textContent).toBe('Review #12: churn v3 (approved)');
    link.click();
    expect(opened).toEqual([12]);
  });

  it('replaces what the box showed before', () => {
    const node = document.createElement('div');
    renderCellComments(node, placed([comment(1), comment(2)]), () => undefined);
    renderCellComments(node, placed([comment(3)]), () => undefined);
    const ids = Array.from(
      node.querySelectorAll('[data-testid="mlops-cell-comment"]')
    ).map(n => (n as HTMLElement).dataset.commentId);
    expect(ids).toEqual(['3']);
  });
});

describe('renderBanner', () => {
  it('lists the reviews, the review-wide comments and those on missing cells', () => {
    const node = document.createElement('div');
    renderBanner(
      node,
      {
        reviews: [review(8, { version: 3 }), review(7)],
        reviewWide: placed([comment(1, { body: HOSTILE })]),
        unplaced: placed([comment(2, { body: 'gone', anchor: atIndex(4) })]),
        error: null
      },
      () => undefined
    );
    const links = Array.from(
      node.querySelectorAll('.jp-mlops-nb-banner-head .jp-mlops-review-link')
    ).map(n => n.textContent);
    expect(links).toEqual([
      'Review #8: churn v3 (open)',
      'Review #7: churn v2 (open)'
    ]);
    const comments = node.querySelectorAll(
      '[data-testid="mlops-notebook-review-comment"]'
    );
    expect(comments).toHaveLength(2);
    expect(comments[0].textContent).toContain(HOSTILE);
    expect(node.querySelector('img')).toBeNull();
    expect(node.textContent).toContain('On cells this notebook no longer has');
    expect(node.textContent).toContain('on cell 5');
  });

  it('says when the reviews could not be loaded', () => {
    const node = document.createElement('div');
    renderBanner(
      node,
      { reviews: [], reviewWide: [], unplaced: [], error: 'server gone' },
      () => undefined
    );
    expect(node.querySelector('.jp-mlops-error')?.textContent).toBe(
      'Could not load the reviews: server gone'
    );
  });
});
