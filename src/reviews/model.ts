/**
 * State of the Reviews side panel: one tab of reviews (waiting for my decision, mine, open,
 * all) or the registered models with their versions and aliases. Polls while shown, so a
 * decision made by someone else on another server shows up by itself.
 */
import {
  api,
  ListModelsResponse,
  ListReviewsResponse,
  ReviewView
} from '../api/client';
import { PollingModel } from '../components/PollingModel';

export type ReviewsTab = ReviewView | 'models';

export const REVIEWS_PAGE_SIZE = 100;
/** The Models tab is polled less often: each look asks MLflow's registry per model. */
export const MODELS_POLL_MS = 30 * 1000;

/** The subset of the API the model uses (a seam for unit tests). */
export type ReviewsApi = Pick<typeof api, 'reviews' | 'models'>;

export class ReviewsModel extends PollingModel<'list' | 'models'> {
  constructor(private readonly client: ReviewsApi = api) {
    super();
  }

  tab: ReviewsTab = 'waiting';
  list: ListReviewsResponse | null = null;
  models: ListModelsResponse | null = null;
  /** False until the first answer of the current tab has arrived. */
  loaded = false;
  notice: string | null = null;

  async refresh(): Promise<void> {
    if (
      this.tab === 'models' &&
      this.loaded &&
      Date.now() - this._modelsAt < MODELS_POLL_MS
    ) {
      return;
    }
    await this.act(() => this.fetch(), true);
  }

  async setTab(tab: ReviewsTab): Promise<void> {
    if (tab !== this.tab) {
      this.tab = tab;
      this.loaded = false;
      this.notice = null;
    }
    await this.act(() => this.fetch());
  }

  note(notice: string | null): void {
    this.notice = notice;
    this._changed.emit();
  }

  private async fetch(): Promise<void> {
    const tab = this.tab;
    if (tab === 'models') {
      const request = this.next('models');
      const models = await this.client.models.list();
      if (this.isLatest('models', request) && this.tab === tab) {
        this.models = models;
        this.loaded = true;
        this._modelsAt = Date.now();
      }
      return;
    }
    const request = this.next('list');
    const list = await this.client.reviews.list({
      view: tab,
      limit: REVIEWS_PAGE_SIZE
    });
    if (this.isLatest('list', request) && this.tab === tab) {
      this.list = list;
      this.loaded = true;
    }
  }

  private _modelsAt = 0;
}
