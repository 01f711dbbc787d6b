/**
 * Model review, driven as two people would on one Jupyter server (the test server names
 * its users by a cookie; only bob reviews). Alice trains a model in a notebook, registers
 * it from the run's detail, requests its review from the notebook toolbar and comments
 * on a cell of the run's notebook. Bob, in his own browser, finds the review waiting for
 * him, replies beside that cell and approves; alice sees his reply, the approval and the
 * `champion` alias moved to the version. A comment made of HTML and script is shown as
 * text and runs nothing. A second version is then reviewed against the champion.
 */
import { expect, test } from '@jupyterlab/galata';
import { Browser, BrowserContext, Page } from '@playwright/test';

import {
  execute,
  openPanel,
  pickTab,
  SHOTS,
  waitForList
} from '../helpers/mlops';
import {
  approveReview,
  registerFromRun,
  requestReview,
  reviewIdOf,
  reviewPage,
  train,
  trainFirstModel
} from '../helpers/reviewFlow';
import { expectThemedChart, inDarkTheme } from '../helpers/theme';

const BASE = 'http://localhost:8888';
const USER_COOKIE = 'mlops-test-user';
const XSS =
  '<img src=x onerror="window.__mlopsXss=1"><script>window.__mlopsXss=2</script>';

/** The second users' browser contexts, closed after each test even when it fails. */
const contexts: BrowserContext[] = [];

/** A page of Lab for `user` in a browser context of its own (its own cookie). */
async function openLabAs(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 }
  });
  contexts.push(context);
  await context.addCookies([{ name: USER_COOKIE, value: user, url: BASE }]);
  // Lab asks about its news feed on first use (Galata's own page has it off already).
  await context.request.put(
    `${BASE}/lab/api/settings/@jupyterlab/apputils-extension:notification`,
    { data: { raw: '{"fetchNews": "false"}' } }
  );
  const page = await context.newPage();
  await page.goto(`${BASE}/lab/workspaces/${user}?reset`);
  await page.waitForFunction(
    () => typeof (window as any).jupyterapp === 'object'
  );
  await page.evaluate(() => (window as any).jupyterapp.restored);
  await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
  return page;
}

// Lab's own identity (/api/me), not Galata's mocked user: reviews act as alice.
test.use({ viewport: { width: 1400, height: 900 }, mockUser: false });

test.describe('Model reviews', () => {
  test.afterEach(async () => {
    await Promise.all(contexts.splice(0).map(context => context.close()));
  });

  test('request, comment on a cell, approve as a second user, see the alias move', async ({
    page,
    browser
  }) => {
    test.setTimeout(360000);
    // Alice trains and registers v1, then asks for its review from the notebook.
    await trainFirstModel(page);
    const review = await requestReview(page, 1, 'First cancer model');
    await expect(review.getByTestId('mlops-review-why')).toContainText(
      'You requested this review'
    );
    await expect(review.getByTestId('mlops-review-approve')).toHaveCount(0);

    // A comment on the training cell, beside it, and HTML that must stay text.
    await pickTab(review, 'notebook');
    const cell = review
      .getByTestId('mlops-review-cell')
      .filter({ hasText: 'LogisticRegression(C=0.1' });
    await cell.getByTestId('mlops-add-comment').click();
    await cell
      .getByTestId('mlops-comment-text')
      .fill('Is max_iter=500 needed, or does 200 converge?');
    await cell.getByTestId('mlops-comment-submit').click();
    await expect(cell.getByTestId('mlops-review-comment')).toContainText(
      'max_iter=500'
    );
    await pickTab(review, 'overview');
    const discussion = review.getByTestId('mlops-review-discussion');
    await discussion.getByTestId('mlops-comment-text').fill(XSS);
    await discussion.getByTestId('mlops-comment-submit').click();
    await expect(discussion.getByTestId('mlops-comment-body')).toHaveText(XSS);
    await expect(review.locator('img')).toHaveCount(0);
    expect(
      await page.evaluate(() => (window as any).__mlopsXss)
    ).toBeUndefined();
    await pickTab(review, 'notebook');
    await cell.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/reviews-notebook-comments.png` });

    // Carol is no reviewer: the page says so, and the server refuses her approval.
    const carol = await openLabAs(browser, 'carol');
    const reviewId = await reviewIdOf(review);
    await execute(carol, 'mlops:open-review', { id: reviewId });
    await expect(
      reviewPage(carol).getByTestId('mlops-review-why')
    ).toContainText('Only bob may decide');
    const refused = await carol.request.post(
      `${BASE}/mlops/api/reviews/${reviewId}/decisions`,
      {
        data: { decision: 'approve', note: '' }
      }
    );
    expect(refused.status()).toBe(403);
    await carol.context().close();

    // Bob finds it waiting for him, replies beside the cell and approves.
    const bob = await openLabAs(browser, 'bob');
    const bobPanel = await openPanel(bob, 'reviews');
    const waiting = bobPanel
      .getByTestId('mlops-review')
      .filter({ hasText: 'cancer v1' });
    await expect(waiting).toContainText('First cancer model');
    await bob.screenshot({ path: `${SHOTS}/reviews-waiting.png` });
    await waiting.click();
    const bobReview = reviewPage(bob);
    await expect(
      bobReview
        .getByTestId('mlops-review-discussion')
        .getByTestId('mlops-comment-body')
    ).toHaveText(XSS);
    expect(
      await bob.evaluate(() => (window as any).__mlopsXss)
    ).toBeUndefined();
    await pickTab(bobReview, 'notebook');
    const bobCell = bobReview
      .getByTestId('mlops-review-cell')
      .filter({ hasText: 'LogisticRegression(C=0.1' });
    await expect(bobCell.getByTestId('mlops-review-comment')).toContainText(
      'Alice Adams'
    );
    await bobCell.getByTestId('mlops-thread-reply').click();
    await bobCell
      .getByTestId('mlops-comment-text')
      .fill('200 stops early on this scaler; keep 500.');
    await bobCell.getByTestId('mlops-comment-submit').click();
    await waitForList(bobCell, 'mlops-review-comment', 2);
    await approveReview(bobReview, 'Good baseline.', 1);
    await bob.screenshot({ path: `${SHOTS}/reviews-approved.png` });
    await bob.context().close();

    // Alice sees his reply, the approval and the alias move without reloading.
    await waitForList(cell, 'mlops-review-comment', 2, 30000);
    await expect(cell).toContainText('Bob Brown');
    await expect(
      review.getByTestId('mlops-review-status').first()
    ).toHaveAttribute('data-status', 'approved');
    await pickTab(review, 'audit');
    await expect(review.getByTestId('mlops-review-events')).toContainText(
      'moved alias “champion” to v1'
    );
    await page.screenshot({ path: `${SHOTS}/reviews-audit.png` });
    const panel = await openPanel(page, 'reviews');
    await pickTab(panel, 'models');
    const v1 = panel
      .getByTestId('mlops-model')
      .filter({ hasText: 'cancer' })
      .getByTestId('mlops-model-version')
      .filter({ hasText: 'v1' });
    await expect(v1.getByTestId('mlops-model-alias')).toHaveText('@champion');
    await panel.screenshot({ path: `${SHOTS}/reviews-models.png` });
    await inDarkTheme(page, async () => {
      await panel.screenshot({ path: `${SHOTS}/reviews-models-dark.png` });
    });

    // The notebook opened from the run shows the review's comments beside its cell.
    const experiments = await openPanel(page, 'experiments');
    await experiments.getByTestId('mlops-open-notebook').click();
    const nbComments = page
      .locator('.jp-NotebookPanel:visible')
      .getByTestId('mlops-cell-comments')
      .first();
    await expect(nbComments).toContainText('max_iter=500', { timeout: 30000 });
    await expect(nbComments).toContainText('Bob Brown');
    await page.screenshot({ path: `${SHOTS}/reviews-run-notebook.png` });

    // A challenger, its review requested from the Models tab, against the champion.
    await train(page, 10, 'cancer-C10', 2);
    await page.notebook.save();
    await registerFromRun(page, 'cancer-C10', 'cancer');
    await openPanel(page, 'reviews');
    await pickTab(panel, 'models');
    await panel
      .getByTestId('mlops-model-version')
      .filter({ hasText: 'v2' })
      .getByTestId('mlops-model-request-review')
      .click();
    const dialog = page.locator('.jp-Dialog');
    await expect(
      dialog.getByTestId('mlops-request-review-version')
    ).toHaveValue('2');
    await dialog
      .getByTestId('mlops-request-review-title')
      .fill('Less regularisation');
    await dialog.getByTestId('mlops-request-review-submit').click();
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    const second = reviewPage(page);
    await expect(second.getByTestId('mlops-review-header')).toContainText(
      'cancer v2'
    );
    await expect(second.getByTestId('mlops-review-champion')).toContainText(
      'cancer v1'
    );
    await expect(
      second.getByTestId('mlops-review-metric').filter({ hasText: /^accuracy/ })
    ).toBeVisible();
    await expect(
      second
        .getByTestId('mlops-review-param')
        .filter({ has: page.locator('td').first().filter({ hasText: /^C$/ }) })
    ).toContainText('0.1');
    await expect(
      second.locator('.jp-mlops-chart .main-svg').first()
    ).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/reviews-page.png` });
    await inDarkTheme(page, async () => {
      await expectThemedChart(second.getByTestId('mlops-review-metrics-chart'));
      await page.screenshot({ path: `${SHOTS}/reviews-page-dark.png` });
    });
    await pickTab(second, 'diff');
    // v2 was registered from the notebook with its training cell (and the empty cell
    // under it) added since v1 was registered; the champion's cells are all there.
    await expect(second.getByTestId('mlops-diff-counts')).toContainText(
      '0 modified · 2 added · 0 removed'
    );
    await expect(
      second.getByTestId('mlops-cell-diff').filter({ hasText: 'C=10' })
    ).toHaveAttribute('data-status', 'added');
    await page.screenshot({ path: `${SHOTS}/reviews-diff.png` });
    await inDarkTheme(page, async () => {
      await page.screenshot({ path: `${SHOTS}/reviews-diff-dark.png` });
    });

    // Bob asks for changes (a note is required); alice sees the verdict and the note.
    const bob2 = await openLabAs(browser, 'bob');
    const secondId = await reviewIdOf(second);
    await execute(bob2, 'mlops:open-review', { id: secondId });
    const bobSecond = reviewPage(bob2);
    await bobSecond.getByTestId('mlops-review-request-changes').click();
    const changes = bobSecond.getByTestId('mlops-changes-form');
    await expect(changes.getByTestId('mlops-comment-submit')).toBeDisabled();
    await changes
      .getByTestId('mlops-comment-text')
      .fill(
        'Test accuracy drops 2.3 points; keep C=0.1 or show why C=10 helps.'
      );
    await changes.getByTestId('mlops-comment-submit').click();
    await expect(
      bobSecond.getByTestId('mlops-review-status').first()
    ).toHaveAttribute('data-status', 'changes_requested');
    await bob2.context().close();
    await pickTab(second, 'overview');
    await expect(
      second.getByTestId('mlops-review-status').first()
    ).toHaveAttribute('data-status', 'changes_requested', { timeout: 30000 });
    await expect(second.getByTestId('mlops-review-decisions')).toContainText(
      'Test accuracy drops 2.3 points'
    );
    await second.getByTestId('mlops-review-decisions').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/reviews-changes-requested.png` });
  });
});
