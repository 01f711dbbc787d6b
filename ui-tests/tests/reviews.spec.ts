/**
 * Model review, driven as two people would on one Jupyter server (the test server names
 * its users by a cookie; only bob reviews). Alice trains a model in a notebook, registers
 * it from the run's detail, requests its review from the notebook toolbar and comments
 * on a cell of the run's notebook. Bob, in his own browser, finds the review waiting for
 * him, replies beside that cell and approves; alice sees his reply, the approval and the
 * `champion` alias moved to the version. A comment made of HTML and script is shown as
 * text and runs nothing. A second version is then reviewed against the champion.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { Browser, BrowserContext, Locator, Page } from '@playwright/test';

import { expectThemedChart, inDarkTheme } from '../helpers/theme';

const SHOTS = 'screenshots';
const BASE = 'http://localhost:8888';
const USER_COOKIE = 'mlops-test-user';
const XSS =
  '<img src=x onerror="window.__mlopsXss=1"><script>window.__mlopsXss=2</script>';

const TRAIN = (
  C: number,
  name: string
) => `%%track --metric accuracy --name ${name}
import mlflow
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
X, y = load_breast_cancer(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0)
model = make_pipeline(StandardScaler(), LogisticRegression(C=${C}, max_iter=500)).fit(X_tr, y_tr)
mlops.log_params({"C": ${C}})
mlops.log_metrics({"accuracy": model.score(X_te, y_te)})
_ = mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"])`;

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

async function execute(
  page: Page | IJupyterLabPageFixture,
  command: string,
  args: Record<string, unknown> = {}
): Promise<void> {
  await page.evaluate(
    async ({ command, args }) => {
      await (window as any).jupyterapp.commands.execute(command, args);
    },
    { command, args }
  );
}

async function openReviewsPanel(
  page: Page | IJupyterLabPageFixture
): Promise<Locator> {
  await execute(page, 'mlops:open-reviews');
  const panel = page.locator('#jp-mlops-reviews');
  await expect(panel).toBeVisible();
  return panel;
}

/** The review page of the current main-area tab. */
function reviewPage(page: Page | IJupyterLabPageFixture): Locator {
  return page
    .locator('.jp-mlops-review-content:visible')
    .getByTestId('mlops-review-page');
}

/** Train in a new cell of the open notebook and wait for its run card. */
async function train(
  page: IJupyterLabPageFixture,
  C: number,
  name: string,
  cards: number
): Promise<void> {
  await page.notebook.addCell('code', TRAIN(C, name));
  await page.notebook.runCell((await page.notebook.getCellCount()) - 1);
  await expect(page.getByTestId('mlops-run-card')).toHaveCount(cards, {
    timeout: 90000
  });
}

/** Register the model of run `runName` from its detail in the Experiments panel. */
async function registerFromRun(
  page: IJupyterLabPageFixture,
  runName: string,
  model: string
): Promise<void> {
  await execute(page, 'mlops:open-experiments');
  const panel = page.locator('#jp-mlops-experiments');
  await panel
    .getByTestId('mlops-experiment')
    .filter({ hasText: 'cancer' })
    .first()
    .click();
  const row = panel.getByTestId('mlops-run-row').filter({ hasText: runName });
  await row.locator('a').first().click();
  const detail = panel.getByTestId('mlops-run-detail');
  await detail.getByTestId('mlops-register-model').click();
  const dialog = page.locator('.jp-Dialog');
  await dialog.getByTestId('mlops-register-model-name').fill(model);
  await dialog.getByTestId('mlops-register-model-submit').click();
  await expect(page.locator('.jp-Dialog')).toHaveCount(0);
}

/** Request a review from the notebook toolbar; the review's page opens. */
async function requestReview(
  page: IJupyterLabPageFixture,
  version: number,
  title: string
): Promise<Locator> {
  await page
    .locator('.jp-NotebookPanel:visible')
    .getByTestId('mlops-request-review')
    .click();
  const dialog = page.locator('.jp-Dialog');
  await expect(
    dialog.getByTestId('mlops-request-review-version')
  ).toBeVisible();
  await dialog
    .getByTestId('mlops-request-review-version')
    .selectOption(String(version));
  await dialog.getByTestId('mlops-request-review-title').fill(title);
  await dialog.getByTestId('mlops-request-review-submit').click();
  await expect(page.locator('.jp-Dialog')).toHaveCount(0);
  const review = reviewPage(page);
  await expect(review.getByTestId('mlops-review-header')).toContainText(
    `cancer v${version}`
  );
  return review;
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
    await page.notebook.createNew('cancer.ipynb');
    await page.notebook.setCell(
      0,
      'code',
      '%load_ext jupyter_mlops\nimport jupyter_mlops as mlops'
    );
    await page.notebook.runCell(0);
    await train(page, 0.1, 'cancer-C0.1', 1);
    await page.notebook.save();
    await registerFromRun(page, 'cancer-C0.1', 'cancer');
    await page.activity.activateTab('cancer.ipynb');
    const review = await requestReview(page, 1, 'First cancer model');
    await expect(review.getByTestId('mlops-review-why')).toContainText(
      'You requested this review'
    );
    await expect(review.getByTestId('mlops-review-approve')).toHaveCount(0);

    // A comment on the training cell, beside it, and HTML that must stay text.
    await review.getByTestId('mlops-tab-notebook').click();
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
    await review.getByTestId('mlops-tab-overview').click();
    const discussion = review.getByTestId('mlops-review-discussion');
    await discussion.getByTestId('mlops-comment-text').fill(XSS);
    await discussion.getByTestId('mlops-comment-submit').click();
    await expect(discussion.getByTestId('mlops-comment-body')).toHaveText(XSS);
    await expect(review.locator('img')).toHaveCount(0);
    expect(
      await page.evaluate(() => (window as any).__mlopsXss)
    ).toBeUndefined();
    await review.getByTestId('mlops-tab-notebook').click();
    await cell.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/reviews-notebook-comments.png` });

    // Carol is no reviewer: the page says so, and the server refuses her approval.
    const carol = await openLabAs(browser, 'carol');
    const reviewId = Number(
      (await review.getByTestId('mlops-review-header').textContent())?.match(
        /Review #(\d+)/
      )?.[1]
    );
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
    const bobPanel = await openReviewsPanel(bob);
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
    await bobReview.getByTestId('mlops-tab-notebook').click();
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
    await expect(bobCell.getByTestId('mlops-review-comment')).toHaveCount(2);
    await bobReview.getByTestId('mlops-review-approve').click();
    await bobReview
      .getByTestId('mlops-approve-form')
      .getByTestId('mlops-comment-text')
      .fill('Good baseline.');
    await bobReview
      .getByTestId('mlops-approve-form')
      .getByTestId('mlops-comment-submit')
      .click();
    await expect(
      bobReview.getByTestId('mlops-review-status').first()
    ).toHaveAttribute('data-status', 'approved');
    await expect(bobReview.getByTestId('mlops-review-alias')).toContainText(
      'moved to v1'
    );
    await bob.screenshot({ path: `${SHOTS}/reviews-approved.png` });
    await bob.context().close();

    // Alice sees his reply, the approval and the alias move without reloading.
    await expect(cell.getByTestId('mlops-review-comment')).toHaveCount(2, {
      timeout: 30000
    });
    await expect(cell).toContainText('Bob Brown');
    await expect(
      review.getByTestId('mlops-review-status').first()
    ).toHaveAttribute('data-status', 'approved');
    await review.getByTestId('mlops-tab-audit').click();
    await expect(review.getByTestId('mlops-review-events')).toContainText(
      'moved alias “champion” to v1'
    );
    await page.screenshot({ path: `${SHOTS}/reviews-audit.png` });
    const panel = await openReviewsPanel(page);
    await panel.getByTestId('mlops-tab-models').click();
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
    await execute(page, 'mlops:open-experiments');
    const experiments = page.locator('#jp-mlops-experiments');
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
    await execute(page, 'mlops:open-reviews');
    await panel.getByTestId('mlops-tab-models').click();
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
    await second.getByTestId('mlops-tab-diff').click();
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
    const secondId = Number(
      (await second.getByTestId('mlops-review-header').textContent())?.match(
        /Review #(\d+)/
      )?.[1]
    );
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
    await second.getByTestId('mlops-tab-overview').click();
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
