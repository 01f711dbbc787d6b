/**
 * The reviews of an open notebook's MLflow runs, shown in the notebook: each review's
 * cell comments in a box at the end of their cell, review-wide comments in a banner at
 * the top. Fetched again every few seconds while the notebook is shown (and on demand
 * when it is activated again); the boxes follow their cells when cells are added, moved
 * or deleted. Disposed with its notebook: no timer or signal outlives it.
 */
import type { Cell } from '@jupyterlab/cells';
import { INotebookModel, NotebookPanel } from '@jupyterlab/notebook';
import { PanelLayout, Widget } from '@lumino/widgets';

import { api, Review } from '../api/client';
import { errorMessage } from '../api/request';
import { threadsOf } from './format';
import {
  IPlacedThread,
  IReviewThreads,
  placedKey,
  placeReviewThreads
} from './notebookComments';
import {
  IBannerContent,
  OpenReview,
  renderBanner,
  renderCellComments
} from './notebookCommentsView';

/** How often the comments are fetched again while the notebook is shown. */
export const REFRESH_MS = 10 * 1000;

/** At most this many reviews of one run are shown (the newest). */
export const MAX_REVIEWS_PER_RUN = 20;

/**
 * The reviews of the runs `runIds` (any status, newest first, each once) with their
 * comments grouped in threads.
 */
export async function loadRunReviews(
  runIds: Iterable<string>
): Promise<IReviewThreads[]> {
  const lists = await Promise.all(
    [...runIds].map(run_id =>
      api.reviews.list({ view: 'all', run_id, limit: MAX_REVIEWS_PER_RUN })
    )
  );
  const reviews = new Map<number, Review>();
  lists.forEach(list => list.reviews.forEach(r => reviews.set(r.id, r)));
  const ids = [...reviews.keys()].sort((a, b) => b - a);
  const details = await Promise.all(ids.map(id => api.reviews.get(id)));
  return details.map(detail => ({
    review: detail.review,
    threads: threadsOf(detail.comments)
  }));
}

/** The box of review comments at the end of a cell. */
class CellCommentsBox extends Widget {
  constructor() {
    super();
    this.addClass('jp-mlops-cell-comments');
    this.node.dataset.testid = 'mlops-cell-comments';
  }

  /** Show `placed`; nothing is redrawn when it shows the same as before. */
  render(placed: IPlacedThread[], open: OpenReview): void {
    const key = placedKey(placed);
    if (key !== this._key) {
      this._key = key;
      renderCellComments(this.node, placed, open);
    }
  }

  private _key = '';
}

/** The banner at the top of the notebook. */
class ReviewBanner extends Widget {
  constructor() {
    super();
    this.addClass('jp-mlops-notebook-review-banner');
    this.node.dataset.testid = 'mlops-notebook-review-banner';
  }

  /** Show `content`; nothing is redrawn when it shows the same as before. */
  render(content: IBannerContent, open: OpenReview): void {
    const key = JSON.stringify([
      content.reviews.map(r => [r.id, r.status, r.model, r.version, r.title]),
      placedKey(content.reviewWide),
      placedKey(content.unplaced),
      content.error
    ]);
    if (key !== this._key) {
      this._key = key;
      renderBanner(this.node, content, open);
    }
  }

  private _key = '';
}

export interface INotebookReviewOverlayOptions {
  openReview: OpenReview;
  refreshMs?: number;
}

export class NotebookReviewOverlay {
  constructor(
    readonly panel: NotebookPanel,
    private readonly _options: INotebookReviewOverlayOptions
  ) {
    panel.content.modelChanged.connect(this._watchCells, this);
    this._watchCells();
    panel.disposed.connect(this.dispose, this);
  }

  /** The runs whose reviews are shown. */
  get runIds(): ReadonlySet<string> {
    return this._runIds;
  }

  /** Show the reviews of `runId` too: fetch now, then every few seconds while shown. */
  async addRun(runId: string): Promise<void> {
    this._runIds.add(runId);
    await this.refresh();
    this._scheduleRefresh();
  }

  /**
   * Fetch the reviews now (also when the notebook is activated again). Never throws: a
   * failure is shown in the banner and the last comments stay.
   */
  async refresh(): Promise<void> {
    if (this._runIds.size === 0 || this._isDisposed) {
      return;
    }
    const request = ++this._request;
    let reviews: IReviewThreads[] | null = null;
    let error: string | null = null;
    try {
      await this.panel.context.ready;
      reviews = await loadRunReviews(this._runIds);
    } catch (e) {
      error = errorMessage(e);
    }
    if (request !== this._request || this._isDisposed) {
      return; // a later refresh answers
    }
    this._reviews = reviews ?? this._reviews ?? [];
    this._error = error;
    this._layout();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    clearTimeout(this._refreshTimer);
    clearTimeout(this._layoutTimer);
    this.panel.content.modelChanged.disconnect(this._watchCells, this);
    this._cellsOf?.changed.disconnect(this._scheduleLayout, this);
    this.panel.disposed.disconnect(this.dispose, this);
    for (const box of this._boxes.values()) {
      box.dispose();
    }
    this._boxes.clear();
    this._banner?.dispose();
    this._banner = null;
  }

  /** The next timed refresh; skipped while the notebook or the page is hidden. */
  private _scheduleRefresh(): void {
    clearTimeout(this._refreshTimer);
    if (this._isDisposed) {
      return;
    }
    this._refreshTimer = setTimeout(async () => {
      if (this.panel.isVisible && document.visibilityState !== 'hidden') {
        await this.refresh();
      }
      this._scheduleRefresh();
    }, this._options.refreshMs ?? REFRESH_MS);
  }

  private _watchCells(): void {
    this._cellsOf?.changed.disconnect(this._scheduleLayout, this);
    this._cellsOf = this.panel.content.model?.cells ?? null;
    this._cellsOf?.changed.connect(this._scheduleLayout, this);
    this._scheduleLayout();
  }

  /** Lay the boxes out again once the notebook has made its cell widgets. */
  private _scheduleLayout(): void {
    clearTimeout(this._layoutTimer);
    if (this._isDisposed) {
      return;
    }
    this._layoutTimer = setTimeout(() => this._layout(), 0);
  }

  /** Put each thread beside its cell and the rest in the banner. */
  private _layout(): void {
    if (this._isDisposed || this._reviews === null) {
      return;
    }
    const cells = this.panel.content.widgets;
    const placement = placeReviewThreads(
      this._reviews,
      cells.map(cell => cell.model.id)
    );
    const open = this._options.openReview;
    const kept = new Set<Cell>();
    cells.forEach((cell, index) => {
      const placed = placement.byCell.get(index);
      if (!placed) {
        return;
      }
      if (cell.isPlaceholder()) {
        // Not rendered yet (windowed notebook): its layout is built when it is.
        if (!this._waiting.has(cell)) {
          this._waiting.add(cell);
          void cell.ready.then(() => this._scheduleLayout());
        }
        return;
      }
      kept.add(cell);
      let box = this._boxes.get(cell);
      if (!box || box.isDisposed) {
        box = new CellCommentsBox();
        this._boxes.set(cell, box);
      }
      if (box.parent !== cell) {
        (cell.layout as PanelLayout).addWidget(box);
      }
      box.render(placed, open);
    });
    for (const [cell, box] of [...this._boxes]) {
      if (!kept.has(cell)) {
        box.dispose();
        this._boxes.delete(cell);
      }
    }
    this._showBanner(placement.reviewWide, placement.unplaced);
  }

  private _showBanner(
    reviewWide: IPlacedThread[],
    unplaced: IPlacedThread[]
  ): void {
    const reviews = (this._reviews ?? []).map(r => r.review);
    if (reviews.length === 0 && !this._error) {
      this._banner?.dispose();
      this._banner = null;
      return;
    }
    if (!this._banner || this._banner.isDisposed) {
      this._banner = new ReviewBanner();
      this.panel.contentHeader.addWidget(this._banner);
    }
    this._banner.render(
      { reviews, reviewWide, unplaced, error: this._error },
      this._options.openReview
    );
  }

  private readonly _runIds = new Set<string>();
  private readonly _boxes = new Map<Cell, CellCommentsBox>();
  private readonly _waiting = new WeakSet<Cell>();
  private _banner: ReviewBanner | null = null;
  private _reviews: IReviewThreads[] | null = null;
  private _error: string | null = null;
  private _request = 0;
  private _cellsOf: INotebookModel['cells'] | null = null;
  private _layoutTimer: ReturnType<typeof setTimeout> | undefined;
  private _refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private _isDisposed = false;
}
