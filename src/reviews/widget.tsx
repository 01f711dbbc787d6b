/**
 * The Reviews side panel: polls its model while shown and renders the reviews view.
 */
import React from 'react';

import { PollingPanel } from '../components/PollingPanel';
import { REVIEWS_PANEL_ID } from '../tokens';
import { ReviewsModel } from './model';
import { IReviewsActions, ReviewsView } from './ReviewsView';

export class ReviewsPanel extends PollingPanel<ReviewsModel> {
  constructor(
    model: ReviewsModel,
    private readonly actions: IReviewsActions
  ) {
    super(model, REVIEWS_PANEL_ID, 'Model reviews');
  }

  protected renderBody(): JSX.Element {
    return <ReviewsView model={this.model} {...this.actions} />;
  }
}
