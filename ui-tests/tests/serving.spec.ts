/**
 * The Serving panel, driven as a user would: register a model of two versions in a
 * notebook (v1 answers 0, v2 answers 1; `champion` on v1), deploy `servecancer@champion`
 * from the panel (after a refused deploy that keeps what was typed), send requests to the
 * URL the panel shows and see the traffic and the log; start a canary of v2 and promote
 * it; register a version that answers garbage, start it as a canary with a disagreement
 * rule, send traffic and see it rolled back, with the rollback in the audit trail; stop.
 * Whatever happens, the endpoint is stopped through the REST API at the end.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { APIRequestContext, Locator } from '@playwright/test';

import { LOAD_EXT, openPanel, SHOTS, writeNotebook } from '../helpers/mlops';
import { inDarkTheme } from '../helpers/theme';

const MODEL = 'servecancer';
const ENDPOINT_API = `/mlops/api/serving/endpoints/${MODEL}`;
const ROWS = {
  dataframe_split: {
    columns: ['a', 'b'],
    data: [
      [1.0, 2.0],
      [3.0, 4.0]
    ]
  }
};
/** A deploy or a challenger's start: a scoring server loads in 5–20 s here. */
const START_MS = 90000;

const SETUP = `${LOAD_EXT}
import mlflow
import numpy as np
from mlflow.tracking import MlflowClient
from sklearn.dummy import DummyClassifier
MODEL = "${MODEL}"`;

// One block each, no dedent after it: the cell editor keeps the indentation above.
const REGISTER = `def register(label):
    model = DummyClassifier(strategy="constant", constant=label).fit(np.array([[0.0, 0.0], [1.0, 1.0]]), [0, 1])
    with mlops.track(experiment="serving-ui", run_name=f"constant-{label}", autolog=False):
        return str(mlflow.sklearn.log_model(model, name="model", registered_model_name=MODEL, pip_requirements=["scikit-learn"]).registered_model_version)`;

const REGISTERED = `versions = [register(0), register(1)]
MlflowClient().set_registered_model_alias(MODEL, "champion", versions[0])
print("registered", versions)`;

const GARBAGE = `class Garbage(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        return ["garbage"] * len(model_input)`;

const REGISTER_GARBAGE = `with mlops.track(experiment="serving-ui", run_name="garbage", autolog=False):
    bad = mlflow.pyfunc.log_model(name="model", python_model=Garbage(), registered_model_name=MODEL, pip_requirements=["mlflow"])
    print("garbage is version", bad.registered_model_version)`;

/** Send `count` requests to the endpoint, each with its own route key. */
async function sendTraffic(
  request: APIRequestContext,
  invocations: string,
  count: number,
  from = 0
): Promise<void> {
  for (let i = from; i < from + count; i++) {
    const answer = await request.post(invocations, {
      data: ROWS,
      headers: { 'X-MLOps-Route-Key': `k${i}` },
      timeout: 60000
    });
    expect(answer.status()).toBe(200);
  }
}

/** Run the notebook's cell `index` and wait for its output to contain `text`. */
async function runCellFor(
  page: IJupyterLabPageFixture,
  index: number,
  text: string
): Promise<void> {
  await page.notebook.runCell(index, true);
  const cell = (await page.notebook.getCellLocator(index))!;
  await expect(cell.locator('.jp-OutputArea')).toContainText(text, {
    timeout: 120000
  });
}

/** A screenshot of the panel in the light theme, then in the dark one. */
async function shoot(
  page: IJupyterLabPageFixture,
  panel: Locator,
  name: string
): Promise<void> {
  await panel.screenshot({ path: `${SHOTS}/${name}.png` });
  await inDarkTheme(page, async () => {
    await panel.screenshot({ path: `${SHOTS}/${name}-dark.png` });
  });
}

test.use({ viewport: { width: 1400, height: 1000 } });

test.describe('Serving panel', () => {
  test.afterAll(async ({ request }) => {
    // Whatever the test did, no endpoint of it outlives it (a 404: none was running).
    await request.delete(ENDPOINT_API, { timeout: 60000 });
  });

  test('deploy, traffic, canary and promote, a rolled-back canary, stop', async ({
    page,
    request
  }) => {
    test.setTimeout(600000);
    await writeNotebook(page, 'serving.ipynb', [SETUP, REGISTER, REGISTERED]);
    await page.notebook.runCell(0, true);
    await page.notebook.runCell(1, true);
    await runCellFor(page, 2, "registered ['1', '2']");

    await page.sidebar.setWidth(560, 'left');
    const panel = await openPanel(page, 'serving');

    // A refused deploy: the server's message inside the form, the text kept.
    await panel.getByTestId('mlops-deploy-open').click();
    const form = panel.getByTestId('mlops-deploy-form');
    await form.getByTestId('mlops-deploy-model').fill('nosuch@champion');
    await form.getByTestId('mlops-deploy-submit').click();
    await expect(form.getByTestId('mlops-error')).toContainText('nosuch', {
      timeout: START_MS
    });
    await expect(form.getByTestId('mlops-deploy-model')).toHaveValue(
      'nosuch@champion'
    );

    // Deploy: the button says it waits, then the endpoint is selected.
    await form.getByTestId('mlops-deploy-model').fill(`${MODEL}@champion`);
    await form.getByTestId('mlops-deploy-submit').click();
    await expect(form.getByTestId('mlops-deploy-submit')).toBeDisabled();
    await expect(form.getByTestId('mlops-deploy-submit')).toContainText(
      'Deploying'
    );
    const detail = panel.getByTestId('mlops-endpoint-detail');
    await expect(detail.getByTestId('mlops-endpoint-model')).toHaveText(
      `${MODEL}@champion · answering v1`,
      { timeout: START_MS }
    );
    await expect(form).toHaveCount(0);
    await expect(
      panel.getByTestId('mlops-endpoint').filter({ hasText: MODEL })
    ).toContainText('serving');
    const invocations = await detail
      .getByTestId('mlops-endpoint-url')
      .textContent();
    expect(invocations).toMatch(/^http:\/\/.+\/invocations$/);

    // Traffic: the champion's figures and the log's latest rows appear by themselves.
    await sendTraffic(request, invocations!, 12);
    const champion = detail.locator(
      '[data-testid=mlops-traffic-row][data-arm=champion]'
    );
    await expect(champion).toContainText('/min');
    await expect(champion).toContainText(' ms');
    await expect(champion.locator('td').nth(2)).toHaveText('12/min');
    await expect(detail.getByTestId('mlops-log-row')).toHaveCount(12);
    const latest = detail.getByTestId('mlops-log-row').first();
    await expect(latest).toContainText('v1');
    await expect(latest).toContainText('[0,0]');
    await shoot(page, panel, 'serving-traffic');
    // Hidden and shown again (the theme switch), the endpoint still serves.
    await expect(panel.getByTestId('mlops-endpoint').first()).toContainText(
      'serving'
    );

    // A canary of v2 on half the requests, started from the panel.
    await detail.getByTestId('mlops-start-canary').click();
    const rollout = detail.getByTestId('mlops-rollout-form');
    await rollout.getByTestId('mlops-rollout-challenger').fill(`${MODEL}/2`);
    await rollout.getByTestId('mlops-rollout-percent').fill('50');
    await rollout.getByTestId('mlops-rollout-submit').click();
    await expect(detail.getByTestId('mlops-rollout-text')).toHaveText(
      `canary of ${MODEL}/2 (v2) on 50% of requests`,
      { timeout: START_MS }
    );
    await sendTraffic(request, invocations!, 20, 100);
    const challenger = detail.locator(
      '[data-testid=mlops-traffic-row][data-arm=challenger]'
    );
    await expect(challenger).toContainText('v2');
    await expect(challenger).toContainText('100%'); // v2 answers 1, v1 answers 0
    await expect(detail.getByTestId('mlops-rollout-badge')).toHaveCount(0);
    await expect(panel.getByTestId('mlops-rollout-badge')).toHaveText(
      'canary 50%'
    );
    await shoot(page, panel, 'serving-canary');

    // Promote: the alias moves to v2, which answers.
    await detail.getByTestId('mlops-promote').click();
    await expect(detail.getByTestId('mlops-endpoint-model')).toHaveText(
      `${MODEL}@champion · answering v2`,
      { timeout: START_MS }
    );
    await expect(
      detail.locator('[data-testid=mlops-serving-event][data-action=promote]')
    ).toContainText('promote v2 (was v1)');

    // A version that answers garbage, as a canary with a disagreement rule.
    await page.notebook.addCell('code', GARBAGE);
    await page.notebook.runCell(3, true);
    await page.notebook.addCell('code', REGISTER_GARBAGE);
    await runCellFor(page, 4, 'garbage is version 3');
    await detail.getByTestId('mlops-start-canary').click();
    await rollout.getByTestId('mlops-rollout-challenger').fill(`${MODEL}/3`);
    await rollout.getByTestId('mlops-rollout-percent').fill('50');
    await rollout.getByTestId('mlops-rollout-maxDisagreement').fill('0.2');
    await rollout.getByTestId('mlops-rollout-minRequests').fill('10');
    await rollout.getByTestId('mlops-rollout-submit').click();
    await expect(detail.getByTestId('mlops-rollout-rules')).toContainText(
      'disagreement ≤ 20%',
      { timeout: START_MS }
    );
    await sendTraffic(request, invocations!, 40, 200);
    const banner = detail.getByTestId('mlops-rolled-back');
    await expect(banner).toContainText('Rolled back v3', { timeout: 60000 });
    await expect(banner).toContainText('disagreement');
    const rollback = detail.locator(
      '[data-testid=mlops-serving-event][data-action=rollback]'
    );
    await expect(rollback).toContainText('rollback of v3');
    await expect(rollback).toContainText('jupyter-mlops');
    await expect(detail.getByTestId('mlops-start-canary')).toBeVisible();
    await shoot(page, panel, 'serving-rolled-back');

    // Stop: the endpoint is listed as stopped, its trail and log kept.
    await detail.getByTestId('mlops-stop').click();
    await expect(
      panel.getByTestId('mlops-endpoint').filter({ hasText: MODEL })
    ).toContainText('stopped', { timeout: 60000 });
    await expect(
      detail.locator('[data-testid=mlops-serving-event][data-action=stop]')
    ).toHaveCount(1);
  });
});
