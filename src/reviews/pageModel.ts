/**
 * State of one review's page: the review with its comments, decisions and audit trail
 * (polled while the tab is shown: others comment and decide meanwhile), the page of the
 * version against the champion (built once; reloaded on demand), the current tab, and the
 * actions of the signed-in user.
 */
import {
  api,
  CommentAnchor,
  DecisionKind,
  ReviewDetail,
  ReviewPage
} from '../api/client';
import { PollingModel } from '../components/PollingModel';

export type ReviewTab = 'overview' | 'notebook' | 'diff' | 'data' | 'audit';

/** The subset of the API the model uses (a seam for unit tests). */
export type ReviewApi = typeof api.reviews;

const DETAIL_POLL_MS = 5000;

export class ReviewPageModel extends PollingModel<'detail' | 'page'> {
  constructor(
    readonly reviewId: number,
    /** The signed-in user's username (null until Lab knows it). */
    readonly me: () => string | null,
    private readonly client: ReviewApi = api.reviews,
    /** Called after each action the server took (the panel's lists change). */
    private readonly onAction: () => void = () => undefined
  ) {
    super(DETAIL_POLL_MS);
  }

  detail: ReviewDetail | null = null;
  page: ReviewPage | null = null;
  pageError: string | null = null;
  tab: ReviewTab = 'overview';
  notice: string | null = null;

  /** The first load: the review, then its page. */
  async load(): Promise<void> {
    await this.act(() => this.fetchDetail());
    await this.reloadPage();
  }

  /** What a poll does: the review, its comments, decisions and audit trail. */
  async refresh(): Promise<void> {
    await this.act(() => this.fetchDetail(), true);
  }

  /** Build the page again (metrics, data, notebook, diff against the champion now). */
  async reloadPage(): Promise<void> {
    const request = this.next('page');
    this._changed.emit();
    try {
      const page = await this.client.page(this.reviewId);
      if (this.isLatest('page', request)) {
        this.page = page;
        this.pageError = null;
      }
    } catch (error) {
      if (this.isLatest('page', request)) {
        this.pageError = (error as Error).message;
      }
    } finally {
      this._changed.emit();
    }
  }

  setTab(tab: ReviewTab): void {
    this.tab = tab;
    this._changed.emit();
  }

  /** Comment on a cell (anchor), on the whole review, or reply in a thread. */
  async comment(
    body: string,
    target: { anchor?: CommentAnchor; parentId?: number } = {}
  ): Promise<boolean> {
    return this.run(async () => {
      await this.client.comment(this.reviewId, {
        body,
        anchor: target.anchor ?? null,
        parent_id: target.parentId ?? null
      });
      this.notice = target.parentId ? 'Reply added.' : 'Comment added.';
    });
  }

  async edit(commentId: number, body: string): Promise<boolean> {
    return this.run(async () => {
      await this.client.editComment(this.reviewId, commentId, body);
      this.notice = 'Comment edited.';
    });
  }

  async resolve(commentId: number, resolved: boolean): Promise<boolean> {
    return this.run(async () => {
      await this.client.resolveComment(this.reviewId, commentId, resolved);
      this.notice = resolved ? 'Thread resolved.' : 'Thread reopened.';
    });
  }

  async decide(decision: DecisionKind, note: string): Promise<boolean> {
    return this.run(async () => {
      const review = await this.client.decide(this.reviewId, decision, note);
      const moved =
        review.status === 'approved' && review.rules.alias
          ? review.alias_state === 'moved'
            ? ` “${review.rules.alias}” now points at v${review.version}.`
            : ` Moving “${review.rules.alias}” ${review.alias_state ?? ''}.`
          : '';
      this.notice =
        decision === 'approve'
          ? `You approved. The review is ${review.status.replace('_', ' ')}.${moved}`
          : 'You requested changes.';
    });
  }

  async withdraw(note: string): Promise<boolean> {
    return this.run(async () => {
      await this.client.withdraw(this.reviewId, note);
      this.notice = 'Review withdrawn.';
    });
  }

  /** An action, then the review reloaded; false when the server refused it. */
  private async run(action: () => Promise<void>): Promise<boolean> {
    let ok = false;
    this.notice = null;
    await this.act(async () => {
      await action();
      ok = true;
      this.onAction();
      await this.fetchDetail();
    });
    return ok;
  }

  private async fetchDetail(): Promise<void> {
    const request = this.next('detail');
    const detail = await this.client.get(this.reviewId);
    if (this.isLatest('detail', request)) {
      this.detail = detail;
    }
  }
}
