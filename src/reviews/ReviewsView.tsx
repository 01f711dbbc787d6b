/**
 * The Reviews panel's React tree: tabs (waiting for me, mine, open, all, models), the
 * last message, then the tab's list.
 */
import React from 'react';

import { ModelVersionInfo, Review } from '../api/client';
import { Messages } from '../components/Messages';
import { Tabs } from '../components/Tabs';
import { ModelList } from './ModelList';
import { ReviewsModel, ReviewsTab } from './model';
import { ReviewList } from './ReviewList';

const TABS: { key: ReviewsTab; label: string }[] = [
  { key: 'waiting', label: 'Waiting for me' },
  { key: 'mine', label: 'Mine' },
  { key: 'open', label: 'Open' },
  { key: 'all', label: 'All' },
  { key: 'models', label: 'Models' }
];

export interface IReviewsActions {
  onOpenReview: (review: Review) => void;
  onRequestReview: (version: ModelVersionInfo) => void;
  onOpenRun: (runId: string) => void;
}

export function ReviewsView(
  props: IReviewsActions & { model: ReviewsModel }
): JSX.Element {
  const { model } = props;
  return (
    <div className="jp-mlops-panel-body">
      <Tabs
        tabs={TABS}
        current={model.tab}
        onSelect={tab => void model.setTab(tab)}
        testId="mlops-reviews-tabs"
      />
      <Messages error={model.error} notice={model.notice} />
      {!model.loaded && !model.error && (
        <p className="jp-mlops-empty">Loading…</p>
      )}
      {model.loaded && model.tab === 'models' && model.models && (
        <ModelList
          models={model.models.models}
          onRequestReview={props.onRequestReview}
          onOpenRun={props.onOpenRun}
        />
      )}
      {model.loaded && model.tab !== 'models' && model.list && (
        <ReviewList
          view={model.tab}
          reviews={model.list.reviews}
          onOpen={props.onOpenReview}
        />
      )}
    </div>
  );
}
