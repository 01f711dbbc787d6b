/**
 * The review page model and the Reviews panel model against a route table standing in
 * for the server: the typed client's paths and bodies, the notices, and a refused action
 * shown as the server's message.
 */
import { Review, ReviewDetail } from '../api/client';
import { ApiError } from '../api/request';
import { ReviewsModel } from '../reviews/model';
import { ReviewPageModel } from '../reviews/pageModel';

import { review } from './reviewsFixtures';
import { serve } from './serveRoutes';

jest.mock('../api/request', () =>
  jest.requireActual('./mockedRequest').mocked()
);

const REVIEW: Review = review(3, {
  model: 'cancer',
  version: 1,
  run_id: 'abc'
});

function detail(review: Review): ReviewDetail {
  return { review, comments: [], decisions: [], events: [] };
}

describe('ReviewPageModel', () => {
  it('sends a cell comment with its anchor and reloads the review', async () => {
    const calls = serve({
      'GET reviews/3': () => detail(REVIEW),
      'POST reviews/3/comments': (_, body) => ({ id: 1, ...body })
    });
    const model = new ReviewPageModel(3, () => 'bob');
    const ok = await model.comment('why 0.3?', {
      anchor: { cell_id: 'train', cell_index: 1 }
    });
    expect(ok).toBe(true);
    expect(calls.map(c => c.route)).toEqual([
      'POST reviews/3/comments',
      'GET reviews/3'
    ]);
    expect(calls[0].body).toEqual({
      body: 'why 0.3?',
      anchor: { cell_id: 'train', cell_index: 1 },
      parent_id: null
    });
    expect(model.notice).toBe('Comment added.');
    expect(model.detail?.review.id).toBe(3);
  });

  it('tells the alias move after the approval that met the rules', async () => {
    const approved: Review = {
      ...REVIEW,
      status: 'approved',
      approvals: ['bob'],
      alias_state: 'moved'
    };
    serve({
      'GET reviews/3': () => detail(approved),
      'POST reviews/3/decisions': () => approved
    });
    const model = new ReviewPageModel(3, () => 'bob');
    expect(await model.decide('approve', 'ship it')).toBe(true);
    expect(model.notice).toBe(
      'You approved. The review is approved. “champion” now points at v1.'
    );
  });

  it('shows a refused decision as the server said it, and stays unchanged', async () => {
    serve({
      'GET reviews/3': () => detail(REVIEW),
      'POST reviews/3/decisions': () => {
        throw new ApiError(
          403,
          'alice requested review 3 and cannot approve it'
        );
      }
    });
    const model = new ReviewPageModel(3, () => 'alice');
    await model.refresh();
    expect(await model.decide('approve', '')).toBe(false);
    expect(model.error).toBe('alice requested review 3 and cannot approve it');
    expect(model.detail?.review.status).toBe('open');
  });

  it('keeps the page error apart from the review', async () => {
    serve({
      'GET reviews/3': () => detail(REVIEW),
      'GET reviews/3/page': () => {
        throw new ApiError(404, 'model cancer has no version 1');
      }
    });
    const model = new ReviewPageModel(3, () => 'bob');
    await model.load();
    expect(model.detail).not.toBeNull();
    expect(model.pageError).toBe('model cancer has no version 1');
  });
});

describe('ReviewsModel', () => {
  it('asks for the tab view and loads the models on their tab', async () => {
    const calls = serve({
      'GET reviews': () => ({ reviews: [REVIEW], offset: 0 }),
      'GET models': () => ({ models: [] })
    });
    const model = new ReviewsModel();
    await model.refresh();
    expect(calls[0].query).toMatchObject({ view: 'waiting' });
    expect(model.list?.reviews.length).toBe(1);
    await model.setTab('mine');
    expect(calls[1].query).toMatchObject({ view: 'mine' });
    await model.setTab('models');
    expect(calls[2].route).toBe('GET models');
    expect(model.models?.models).toEqual([]);
    expect(model.loaded).toBe(true);
  });
});
