/**
 * The reviews of a run shown in its open notebook, against a route table standing in
 * for the server (the one request module is mocked). The notebook is a stand-in made of
 * real Lumino widgets with the parts of NotebookPanel the overlay uses: cells with a
 * model id and a layout, the cell list's `changed` signal, the content header.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import { Signal } from '@lumino/signaling';
import { BoxPanel, PanelLayout, Widget } from '@lumino/widgets';

import { ReviewComment, ReviewDetail } from '../api/client';
import { ApiError } from '../api/request';
import {
  loadRunReviews,
  NotebookReviewOverlay
} from '../reviews/notebookReviewOverlay';
import { atIndex, comment, onCell, review } from './reviewsFixtures';
import { serve } from './serveRoutes';

jest.mock('../api/request', () =>
  jest.requireActual('./mockedRequest').mocked()
);

class StandInCell extends Widget {
  constructor(id: string) {
    super();
    this.model = { id };
    this.layout = new PanelLayout();
    (this.layout as PanelLayout).addWidget(new Widget()); // the input
  }
  readonly model: { id: string };
  readonly ready = Promise.resolve();
  isPlaceholder(): boolean {
    return false;
  }
}

class StandInNotebook {
  constructor(ids: string[]) {
    this.content.widgets = ids.map(id => new StandInCell(id));
  }

  /** Cells moved or added: JupyterLab makes new cell widgets for them. */
  setCells(ids: string[]): void {
    const old = new Map(this.content.widgets.map(c => [c.model.id, c]));
    this.content.widgets = ids.map(id => {
      const cell = old.get(id);
      old.delete(id);
      return cell && !this.remade.has(id) ? cell : new StandInCell(id);
    });
    old.forEach(cell => cell.dispose());
    this.cellsChanged.emit();
  }

  dispose(): void {
    this.content.widgets.forEach(cell => cell.dispose());
    this.disposed.emit();
  }

  box(id: string): HTMLElement | null {
    const cell = this.content.widgets.find(c => c.model.id === id);
    return (
      cell?.node.querySelector('[data-testid="mlops-cell-comments"]') ?? null
    );
  }

  banner(): HTMLElement | null {
    return this.contentHeader.node.querySelector(
      '[data-testid="mlops-notebook-review-banner"]'
    );
  }

  readonly remade = new Set<string>();
  readonly cellsChanged = new Signal<this, void>(this);
  readonly content = {
    widgets: [] as StandInCell[],
    model: { cells: { changed: this.cellsChanged } },
    modelChanged: new Signal<this, void>(this)
  };
  readonly contentHeader = new BoxPanel();
  readonly context = { ready: Promise.resolve() };
  readonly disposed = new Signal<this, void>(this);
  isVisible = true;
}

const tick = (ms = 5) => new Promise(resolve => setTimeout(resolve, ms));

/** A server with reviews 7 (run1) and 8 (run2) and the comments of each. */
function server(comments: Record<number, ReviewComment[]>) {
  const runOf: Record<number, string> = { 7: 'run1', 8: 'run2' };
  const detail = (id: number): ReviewDetail => ({
    review: review(id, { run_id: runOf[id] }),
    comments: comments[id] ?? [],
    decisions: [],
    events: []
  });
  return serve({
    'GET reviews': query => ({
      reviews: Object.keys(runOf)
        .map(Number)
        .filter(id => runOf[id] === query.run_id)
        .map(id => review(id, { run_id: runOf[id] })),
      offset: 0
    }),
    'GET reviews/7': () => detail(7),
    'GET reviews/8': () => detail(8)
  });
}

function overlayOn(notebook: StandInNotebook, refreshMs = 60 * 1000) {
  return new NotebookReviewOverlay(notebook as unknown as NotebookPanel, {
    openReview: () => undefined,
    refreshMs
  });
}

describe('loadRunReviews', () => {
  it('asks for every review of each run, once each, newest first, with threads', async () => {
    const calls = serve({
      'GET reviews': query => ({
        reviews:
          query.run_id === 'run1'
            ? [review(7), review(9)]
            : [review(9), review(8)],
        offset: 0
      }),
      'GET reviews/7': () => ({ review: review(7), comments: [] }),
      'GET reviews/8': () => ({ review: review(8), comments: [] }),
      'GET reviews/9': () => ({
        review: review(9),
        comments: [comment(1), comment(2, { parent_id: 1 })],
        decisions: [],
        events: []
      })
    });
    const loaded = await loadRunReviews(['run1', 'run2']);
    expect(loaded.map(r => r.review.id)).toEqual([9, 8, 7]);
    expect(loaded[0].threads).toHaveLength(1);
    expect(loaded[0].threads[0].replies.map(c => c.id)).toEqual([2]);
    const lists = calls.filter(c => c.route === 'GET reviews');
    expect(lists.map(c => [c.query.view, c.query.run_id])).toEqual([
      ['all', 'run1'],
      ['all', 'run2']
    ]);
    expect(calls.filter(c => c.route === 'GET reviews/9')).toHaveLength(1);
  });
});

describe('NotebookReviewOverlay', () => {
  it('puts cell comments at the end of their cell and review-wide ones in the banner', async () => {
    server({
      7: [
        comment(1, { body: 'why 0.3?', anchor: onCell('b') }),
        comment(2, { body: 'looks fine overall' })
      ]
    });
    const notebook = new StandInNotebook(['a', 'b', 'c']);
    const overlay = overlayOn(notebook);
    await overlay.addRun('run1');
    expect(notebook.box('a')).toBeNull();
    const box = notebook.box('b') as HTMLElement;
    expect(box.textContent).toContain('why 0.3?');
    expect(box.textContent).toContain('Review #7: churn v2 (open)');
    // at the end of the cell, after its input
    const cellNode = notebook.content.widgets[1].node;
    expect(cellNode.lastElementChild).toBe(box);
    const banner = notebook.banner() as HTMLElement;
    expect(banner.textContent).toContain('looks fine overall');
    expect(banner.textContent).not.toContain('why 0.3?');
    overlay.dispose();
  });

  it('follows a cell that moved and drops the box of a cell whose comments are gone', async () => {
    server({ 7: [comment(1, { body: 'on b', anchor: onCell('b') })] });
    const notebook = new StandInNotebook(['a', 'b', 'c']);
    const overlay = overlayOn(notebook);
    await overlay.addRun('run1');
    notebook.remade.add('b');
    notebook.setCells(['b', 'a', 'c', 'd']);
    await tick();
    expect(notebook.box('b')?.textContent).toContain('on b');
    expect(document.querySelectorAll('.jp-mlops-cell-comments')).toHaveLength(
      0
    ); // nothing attached to the page itself
    expect(
      notebook.content.widgets.filter(c =>
        c.node.querySelector('.jp-mlops-cell-comments')
      )
    ).toHaveLength(1);

    server({ 7: [] });
    await overlay.refresh();
    expect(notebook.box('b')).toBeNull();
    overlay.dispose();
  });

  it('redraws a box only when what it shows changed', async () => {
    const first = comment(1, { body: 'v1', anchor: onCell('a') });
    server({ 7: [first] });
    const notebook = new StandInNotebook(['a']);
    const overlay = overlayOn(notebook);
    await overlay.addRun('run1');
    const before = notebook.box('a')?.querySelector('.jp-mlops-nb-comment');
    await overlay.refresh();
    expect(notebook.box('a')?.querySelector('.jp-mlops-nb-comment')).toBe(
      before
    );
    server({
      7: [
        first,
        comment(2, { body: 'a reply', parent_id: 1, anchor: onCell('a') })
      ]
    });
    await overlay.refresh();
    expect(notebook.box('a')?.textContent).toContain('a reply');
    overlay.dispose();
  });

  it('shows the reviews of every run added, each review once', async () => {
    server({
      7: [comment(1, { body: 'from 7', anchor: atIndex(0) })],
      8: [comment(2, { body: 'from 8', anchor: atIndex(0) })]
    });
    const notebook = new StandInNotebook(['a']);
    const overlay = overlayOn(notebook);
    await overlay.addRun('run1');
    await overlay.addRun('run2');
    await overlay.addRun('run1');
    const text = notebook.box('a')?.textContent ?? '';
    expect(text).toContain('from 7');
    expect(text).toContain('from 8');
    expect(
      notebook.box('a')?.querySelectorAll('[data-testid="mlops-review-link"]')
    ).toHaveLength(2);
    overlay.dispose();
  });

  it('keeps the last comments and says so in the banner when a refresh fails', async () => {
    server({ 7: [comment(1, { body: 'kept', anchor: onCell('a') })] });
    const notebook = new StandInNotebook(['a']);
    const overlay = overlayOn(notebook);
    await overlay.addRun('run1');
    serve({
      'GET reviews': () => {
        throw new ApiError(500, 'database is locked');
      }
    });
    await overlay.refresh();
    expect(notebook.box('a')?.textContent).toContain('kept');
    expect(notebook.banner()?.textContent).toContain('database is locked');
    overlay.dispose();
  });

  it('fetches again on a timer while shown, not while hidden, never after its notebook closed', async () => {
    const calls = server({ 7: [comment(1, { anchor: onCell('a') })] });
    const notebook = new StandInNotebook(['a']);
    const overlay = overlayOn(notebook, 20);
    await overlay.addRun('run1');
    const lists = () => calls.filter(c => c.route === 'GET reviews').length;
    expect(lists()).toBe(1);
    await tick(70);
    expect(lists()).toBeGreaterThanOrEqual(2);

    notebook.isVisible = false;
    await tick(30); // a fetch under way may still land
    const hidden = lists();
    await tick(70);
    expect(lists()).toBe(hidden);

    notebook.isVisible = true;
    notebook.dispose();
    expect(overlay.isDisposed).toBe(true);
    const closed = lists();
    await tick(70);
    expect(lists()).toBe(closed);
    expect(notebook.banner()).toBeNull();
  });
});
