/**
 * The steps of a model review as a user takes them in Lab, shared by the review specs:
 * train in a notebook cell, register the run's model from the Experiments panel, request
 * its review from the notebook toolbar.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator, Page } from '@playwright/test';

import { LOAD_EXT, openPanel, waitForList, writeNotebook } from './mlops';

/** A `%%track` cell that trains and logs a scikit-learn model on breast cancer data. */
export const TRAIN = (
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

/** The review page of the current main-area tab. */
export function reviewPage(page: Page | IJupyterLabPageFixture): Locator {
  return page
    .locator('.jp-mlops-review-content:visible')
    .getByTestId('mlops-review-page');
}

/**
 * Approve the review `review` shows, with a note, as its signed-in reviewer would: the
 * approve form, then the review approved and its alias moved to `version`.
 */
export async function approveReview(
  review: Locator,
  note: string,
  version: number
): Promise<void> {
  await review.getByTestId('mlops-review-approve').click();
  const form = review.getByTestId('mlops-approve-form');
  await form.getByTestId('mlops-comment-text').fill(note);
  await form.getByTestId('mlops-comment-submit').click();
  await expect(
    review.getByTestId('mlops-review-status').first()
  ).toHaveAttribute('data-status', 'approved');
  await expect(review.getByTestId('mlops-review-alias')).toContainText(
    `moved to v${version}`
  );
}

/** The id of the review a page shows (its header says `Review #12`). */
export async function reviewIdOf(review: Locator): Promise<number> {
  const header = await review.getByTestId('mlops-review-header').textContent();
  return Number(header?.match(/Review #(\d+)/)?.[1]);
}

/** Train in a new cell of the open notebook and wait for its run card. */
export async function train(
  page: IJupyterLabPageFixture,
  C: number,
  name: string,
  cards: number
): Promise<void> {
  await page.notebook.addCell('code', TRAIN(C, name));
  await page.notebook.runCell((await page.notebook.getCellCount()) - 1);
  await waitForList(page, 'mlops-run-card', cards, 90000);
}

/** Register the model of run `runName` from its detail in the Experiments panel. */
export async function registerFromRun(
  page: IJupyterLabPageFixture,
  runName: string,
  model: string
): Promise<void> {
  const panel = await openPanel(page, 'experiments');
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
export async function requestReview(
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

/**
 * The first model of the flow: a new notebook `cancer.ipynb` trains it, is saved, and
 * its run's model is registered as `cancer` v1; the notebook is shown again.
 */
export async function trainFirstModel(
  page: IJupyterLabPageFixture
): Promise<void> {
  await writeNotebook(page, 'cancer.ipynb', [LOAD_EXT]);
  await page.notebook.runCell(0);
  await train(page, 0.1, 'cancer-C0.1', 1);
  await page.notebook.save();
  await registerFromRun(page, 'cancer-C0.1', 'cancer');
  await page.activity.activateTab('cancer.ipynb');
}
