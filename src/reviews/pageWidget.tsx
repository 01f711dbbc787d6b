/**
 * A review's page in a main-area tab: polls the review while the tab is shown (others
 * comment and decide meanwhile) and re-renders on every change.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import React from 'react';

import { PollingWidget } from '../components/PollingWidget';
import { reviewsIcon } from '../icons';
import { ReviewPageModel } from './pageModel';
import { IReviewPageLinks, ReviewPageView } from './ReviewPageView';

class ReviewPageContent extends PollingWidget<ReviewPageModel> {
  constructor(
    model: ReviewPageModel,
    private readonly links: IReviewPageLinks
  ) {
    super(model);
    this.addClass('jp-mlops-review-content');
  }

  protected renderContent(): JSX.Element {
    return <ReviewPageView model={this.model} {...this.links} />;
  }
}

/** The id of a review's tab (one tab per review). */
export function reviewWidgetId(reviewId: number): string {
  return `jp-mlops-review-${reviewId}`;
}

export function createReviewWidget(
  model: ReviewPageModel,
  links: IReviewPageLinks
): MainAreaWidget<ReviewPageContent> {
  const content = new ReviewPageContent(model, links);
  const widget = new MainAreaWidget({ content });
  widget.id = reviewWidgetId(model.reviewId);
  widget.title.label = `Review #${model.reviewId}`;
  widget.title.icon = reviewsIcon;
  widget.title.closable = true;
  model.changed.connect(() => {
    const review = model.detail?.review;
    if (review) {
      widget.title.label = `Review: ${review.model} v${review.version}`;
      widget.title.caption = `Review #${review.id} (${review.status})`;
    }
  });
  void model.load();
  return widget;
}
