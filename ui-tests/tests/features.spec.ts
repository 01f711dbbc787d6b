/**
 * The Features panel, driven as a user would: save a dataset of recent driver events and
 * define an entity, a view and a service over it in a notebook, train a tracked run on
 * the service; then browse the catalog, a view's statistics, freshness, materializations
 * and rows, look entities up online, insert a lookup and a training-set cell, open the
 * source dataset version and the run trained on the service (which lists it back).
 * And define from the panel: an entity, a view over a dataset saved in the notebook (a
 * feature the dataset lacks first: the server's message stays in the form), an edit of
 * it (v2), and a service.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  openEmptyPanel,
  openPanel,
  panelOf,
  pickTab,
  SHOTS,
  waitForList,
  writeNotebook
} from '../helpers/mlops';
import { expectReadableSelection, inDarkTheme } from '../helpers/theme';

const SETUP = `%load_ext jupyter_mlops
import jupyter_mlops as mlops
import pandas as pd
from datetime import datetime, timedelta, timezone
now = datetime.now(timezone.utc)`;

// 60 events of six drivers over the last two days (times tz-aware, within the 3-day
// ttl; each driver's newest is an hour old); one trips value in ten is missing.
const DATA = `n = 60
rows = pd.DataFrame({
    "driver_id": pd.array([i % 6 + 1 for i in range(n)], dtype="Int64"),
    "event_timestamp": [now - timedelta(hours=1 + 0.7 * i) for i in range(n)],
    "trips": pd.array([None if i % 10 == 3 else i * 7 % 11 + i * 5 % 13 for i in range(n)], dtype="Int64"),
    "rating": [round(3.2 + (i * 7 % 11 + i * 3 % 7 + i * 5 % 9) / 15, 2) for i in range(n)],
})
mlops.datasets.save("driver_rows", rows)`;

const DEFINE = `mlops.features.entity("driver", {"driver_id": "Int64"})
mlops.features.view("driver_stats", entities=["driver"], source="driver_rows",
                    features={"trips": "Int64", "rating": "Float64"}, ttl=timedelta(days=3))
mlops.features.service("eta", ["driver_stats"])
print(mlops.features.materialize("driver_stats")[0].status)`;

// A model trained on the service, registered as eta_model v1. One block, no dedent after
// it: the cell editor keeps the indentation of the line above.
const TRAIN = `import mlflow
from sklearn.linear_model import LinearRegression
with mlops.track(experiment="eta", run_name="eta-train", autolog=False):
    entity_df = pd.DataFrame({"driver_id": [1, 2, 3, 4], "event_timestamp": [now] * 4,
                              "eta_min": [12.0, 9.5, 14.0, 11.0]})
    train = mlops.features.training_set(entity_df, service="eta").to_df().fillna(0)
    model = LinearRegression().fit(train[["trips", "rating"]], train["eta_min"])
    mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"])
    mlflow.register_model(f"runs:/{mlflow.active_run().info.run_id}/model", "eta_model")
    print("trained on", len(train), "rows")`;

// Twelve events of four riders over the last twelve hours.
const RIDERS = `riders = pd.DataFrame({
    "rider_id": pd.array([i % 4 + 1 for i in range(12)], dtype="Int64"),
    "event_timestamp": [now - timedelta(hours=i) for i in range(12)],
    "rides": [i * 3 % 7 for i in range(12)],
    "score": [round(4 + i / 10, 1) for i in range(12)],
})
print("saved", mlops.datasets.save("rider_rows", riders).version.version)`;

/** The definition dialog of `testId` once it shows. */
async function openForm(
  page: IJupyterLabPageFixture,
  button: Locator,
  testId: string
): Promise<Locator> {
  await button.click();
  const form = page.getByTestId(testId);
  await expect(form).toBeVisible();
  return form;
}

/** Save the form; it closes. */
async function saveForm(form: Locator): Promise<void> {
  await form.getByTestId('mlops-definition-save').click();
  await expect(form).toHaveCount(0);
}

async function defineFeatures(page: IJupyterLabPageFixture): Promise<void> {
  await writeNotebook(page, 'drivers.ipynb', [SETUP, DATA, DEFINE, TRAIN]);
  await page.notebook.run();
  await expect
    .poll(async () => (await page.notebook.getCellTextOutput(3))?.join(''), {
      timeout: 60000
    })
    .toContain('trained on 4 rows');
  expect((await page.notebook.getCellTextOutput(2))?.join('')).toContain(
    'done'
  );
}

test.describe('Features panel', () => {
  test('empty workspace explains how to define features', async ({ page }) => {
    const panel = await openEmptyPanel(page, 'features', {
      features: { entities: [], views: [], services: [] }
    });
    await expect(panel.getByTestId('mlops-no-features')).toContainText(
      'mlops.features.view'
    );
  });

  test('catalog, statistics, freshness, lookup, cells, dataset and runs', async ({
    page
  }) => {
    await defineFeatures(page);
    const panel = await openPanel(page, 'features');

    // The catalog, with a name search on the server.
    await waitForList(panel, 'mlops-catalog-entity', 1);
    await waitForList(panel, 'mlops-catalog-service', 1);
    const view = (await waitForList(panel, 'mlops-catalog-view', 1)).first();
    await expect(view).toContainText('driver_stats');
    await expect(view).toContainText('2 features');
    const search = panel.getByTestId('mlops-feature-search');
    await search.fill('stats');
    await waitForList(panel, 'mlops-catalog-service', 0);
    await waitForList(panel, 'mlops-catalog-view', 1);
    await search.fill('');
    await waitForList(panel, 'mlops-catalog-service', 1);

    // A view: features with types and statistics, fresh against its 3-day ttl.
    await view.click();
    const detail = panel.getByTestId('mlops-feature-view');
    await expect(detail).toContainText('driver_stats');
    await expect(detail.getByTestId('mlops-freshness')).toHaveText('fresh');
    await expect(detail.getByTestId('mlops-feature-freshness')).toContainText(
      'ttl 3 d'
    );
    await expect(detail.getByTestId('mlops-feature-source')).toHaveText(
      'driver_rows@v1'
    );
    const features = await waitForList(detail, 'mlops-feature', 2);
    await expect(features.nth(0)).toContainText('trips');
    await expect(features.nth(0)).toContainText('Int64');
    await expect(features.nth(0)).toContainText('10 % null');
    await expect(features.nth(0)).toContainText('min 0');
    await expect(features.nth(0)).toContainText('max 21');
    await expect(features.nth(1)).toContainText('rating');
    await expect(features.nth(1).getByTestId('mlops-feature-nulls')).toHaveText(
      '0 % null'
    );
    await expect(detail.getByTestId('mlops-sparkline')).toHaveCount(2);
    await expect(
      features.nth(0).getByTestId('mlops-sparkline').locator('rect')
    ).toHaveCount(20);
    await panel.screenshot({ path: `${SHOTS}/features-view.png` });
    await inDarkTheme(page, async () => {
      await expectReadableSelection(view);
      await panel.screenshot({ path: `${SHOTS}/features-view-dark.png` });
    });

    // Materializations: the notebook's, then one from the panel.
    await pickTab(detail, 'materializations');
    await waitForList(detail, 'mlops-materialization', 1);
    await detail.getByTestId('mlops-materialize').click();
    await expect(panel.getByTestId('mlops-notice')).toHaveText(
      'Materialized driver_stats: 6 entities.'
    );
    const runs = await waitForList(detail, 'mlops-materialization', 2);
    await expect(runs.nth(0)).toContainText('done');
    await expect(runs.nth(0)).toContainText('6 entities');
    await expect(runs.nth(0)).toContainText('from driver_rows@v1');
    await panel.screenshot({ path: `${SHOTS}/features-materializations.png` });

    // The newest rows of the source, newest first.
    await pickTab(detail, 'rows');
    await waitForList(detail, 'mlops-feature-row', 20);
    await expect(
      detail.getByTestId('mlops-feature-rows').locator('th')
    ).toHaveText(['driver_id', 'event_timestamp', 'trips', 'rating']);

    // Where it is used: the run trained on the service.
    await pickTab(detail, 'used');
    const used = await waitForList(detail, 'mlops-usage-run', 1);
    await expect(used).toContainText('eta-train');
    await expect(used.getByTestId('mlops-usage-model')).toHaveText(
      'eta_model v1'
    );

    // The lookup box: driver 1 is online, driver 9 is not.
    await detail.getByTestId('mlops-look-up').click();
    const lookup = panel.getByTestId('mlops-lookup');
    await expect(lookup.getByTestId('mlops-lookup-target')).toHaveValue(
      'view:driver_stats'
    );
    await lookup.getByTestId('mlops-lookup-key-driver_id').fill('1, x');
    await lookup.getByTestId('mlops-lookup-run').click();
    await expect(panel.getByTestId('mlops-error')).toContainText(
      '“x” is not an integer'
    );
    await lookup.getByTestId('mlops-lookup-target').selectOption('service:eta');
    await lookup.getByTestId('mlops-lookup-key-driver_id').fill('1, 9');
    await lookup.getByTestId('mlops-lookup-run').click();
    const found = await waitForList(lookup, 'mlops-lookup-row', 2);
    await expect(found.nth(0).getByTestId('mlops-lookup-key')).toHaveText(
      'driver_id 1'
    );
    await expect(found.nth(0).getByTestId('mlops-lookup-values')).toHaveText(
      'trips 0rating 3.2'
    );
    await expect(found.nth(0).getByTestId('mlops-lookup-status')).toContainText(
      /present.*1(\.\d)? h old.*event /
    );
    await expect(found.nth(1).getByTestId('mlops-lookup-status')).toHaveText(
      'missing'
    );
    await expect(found.nth(1).getByTestId('mlops-lookup-values')).toHaveText(
      'trips nullrating null'
    );
    await expect(panel.getByTestId('mlops-error')).toHaveCount(0);
    await panel.screenshot({ path: `${SHOTS}/features-lookup.png` });
    await inDarkTheme(page, async () => {
      await panel.screenshot({ path: `${SHOTS}/features-lookup-dark.png` });
    });

    // The same lookup as a cell, below the last cell; it runs in the kernel.
    await page.notebook.selectCells(3);
    await lookup.getByTestId('mlops-lookup-insert').click();
    const code = 'mlops.features.online("eta", {"driver_id": [1, 9]}).to_df()';
    await expect(panel.getByTestId('mlops-notice')).toContainText(
      `Inserted "${code}" in`
    );
    expect(await page.notebook.getCellTextInput(4)).toBe(code);
    await page.notebook.runCell(4);
    expect((await page.notebook.getCellTextOutput(4))?.join('')).toContain(
      'present'
    );

    // The service: the run trained on it, and a training-set cell.
    await page.notebook.selectCells(4);
    await pickTab(panel, 'catalog');
    await panel.getByTestId('mlops-catalog-service').click();
    const service = panel.getByTestId('mlops-feature-service');
    await expect(service).toContainText('eta');
    await expect(service.getByTestId('mlops-usage-run')).toContainText(
      'eta-train'
    );
    await service.getByTestId('mlops-insert-training-set').click();
    expect(await page.notebook.getCellTextInput(5)).toBe(
      'mlops.features.training_set(entity_df, service="eta").to_df()'
    );
    await panel.screenshot({ path: `${SHOTS}/features-service.png` });
    await inDarkTheme(page, async () => {
      await panel.screenshot({ path: `${SHOTS}/features-service-dark.png` });
    });

    // The run opens in Experiments, whose detail lists the service and the view.
    await service.getByTestId('mlops-usage-open').click();
    const run = panelOf(page, 'experiments').getByTestId('mlops-run-detail');
    await expect(run).toContainText('eta-train');
    const runFeatures = run.getByTestId('mlops-run-features');
    await expect(
      runFeatures.getByTestId('mlops-run-feature-service')
    ).toContainText('eta');
    const runView = runFeatures.getByTestId('mlops-run-feature-view');
    await expect(runView.getByTestId('mlops-run-feature-open')).toHaveText(
      'driver_stats v1'
    );
    await expect(runView.getByTestId('mlops-run-feature-dataset')).toHaveText(
      'from driver_rows@v1'
    );
    await runFeatures.scrollIntoViewIfNeeded();
    await panelOf(page, 'experiments').screenshot({
      path: `${SHOTS}/features-run-detail.png`
    });

    // Back from the run to the view, then to its source dataset version.
    await runView.getByTestId('mlops-run-feature-open').click();
    await expect(panel).toBeVisible();
    await expect(detail).toContainText('driver_stats');
    await detail.getByTestId('mlops-feature-source').click();
    const version = panelOf(page, 'datasets').getByTestId(
      'mlops-version-detail'
    );
    await expect(version).toContainText('driver_rows@v1');
    await expect(version).toContainText('60 rows');
  });

  test('define an entity, a view and a service from the panel', async ({
    page
  }) => {
    await writeNotebook(page, 'riders.ipynb', [SETUP, RIDERS]);
    await page.notebook.run();
    await expect
      .poll(async () => (await page.notebook.getCellTextOutput(1))?.join(''))
      .toContain('saved 1');
    await page.sidebar.setWidth(480, 'left');
    const panel = await openPanel(page, 'features');

    // An entity: its name and one typed join key.
    const entity = await openForm(
      page,
      panel.getByTestId('mlops-new-entity'),
      'mlops-entity-form'
    );
    await entity.getByTestId('mlops-definition-name').fill('rider');
    await entity.getByTestId('mlops-field-name').fill('rider_id');
    await entity.getByTestId('mlops-field-type').selectOption('Int64');
    await saveForm(entity);
    const entityDetail = panel.getByTestId('mlops-feature-entity');
    await expect(entityDetail).toContainText('rider');
    await expect(entityDetail).toContainText('rider_idInt64');
    await expect(
      entityDetail.getByTestId('mlops-definition-version')
    ).toHaveText('v1');
    await expect(entityDetail.getByTestId('mlops-definition-by')).toContainText(
      'defined by alice signed in'
    );
    await expect(panel.getByTestId('mlops-notice')).toHaveText(
      'Saved entity rider v1.'
    );

    // A view over the notebook's dataset: its time column and features are suggested
    // from the dataset's columns; a feature it lacks is refused by the server.
    const view = await openForm(
      page,
      panel.getByTestId('mlops-new-view'),
      'mlops-view-form'
    );
    await view.getByTestId('mlops-definition-name').fill('rider_stats');
    await view.getByTestId('mlops-view-entity-rider').check();
    await view.getByTestId('mlops-view-dataset').selectOption('rider_rows');
    await expect(view.getByTestId('mlops-view-event-time')).toHaveValue(
      'event_timestamp'
    );
    const names = view.getByTestId('mlops-field-name');
    await expect(names).toHaveCount(2);
    await expect(names.nth(0)).toHaveValue('rides');
    await expect(view.getByTestId('mlops-field-type').nth(0)).toHaveValue(
      'Int64'
    );
    await expect(names.nth(1)).toHaveValue('score');
    await expect(view.getByTestId('mlops-field-type').nth(1)).toHaveValue(
      'Float64'
    );
    await view.getByTestId('mlops-view-ttl').fill('2');
    await view.getByTestId('mlops-definition-owner').fill('team-rides');
    await view.getByTestId('mlops-field-add').click();
    await names.nth(2).fill('tips');
    await view.getByTestId('mlops-field-type').nth(2).selectOption('Float64');
    const dialog = page.locator('.jp-Dialog-content');
    await dialog.screenshot({ path: `${SHOTS}/features-define-view.png` });
    await inDarkTheme(page, async () => {
      await dialog.screenshot({
        path: `${SHOTS}/features-define-view-dark.png`
      });
    });
    await view.getByTestId('mlops-definition-save').click();
    await expect(view.getByTestId('mlops-error')).toContainText(
      "feature 'tips' is missing"
    );
    await expect(view.getByTestId('mlops-definition-name')).toHaveValue(
      'rider_stats'
    );
    await expect(view.getByTestId('mlops-view-ttl')).toHaveValue('2');
    await dialog.screenshot({ path: `${SHOTS}/features-define-error.png` });
    await view.getByTestId('mlops-field-remove').nth(2).click();
    await saveForm(view);

    // The new view, selected: v1 by alice, over rider_rows@v1, with a 2-day ttl.
    const detail = panel.getByTestId('mlops-feature-view');
    await expect(detail).toContainText('rider_stats');
    await expect(detail.getByTestId('mlops-definition-version')).toHaveText(
      'v1'
    );
    await expect(detail.getByTestId('mlops-feature-source')).toHaveText(
      'rider_rows@v1'
    );
    await expect(detail.getByTestId('mlops-feature-freshness')).toContainText(
      'ttl 2 d'
    );
    await waitForList(detail, 'mlops-feature', 2);
    await expect(
      panel.getByTestId('mlops-catalog-view').filter({ hasText: 'rider_stats' })
    ).toHaveClass(/jp-mod-selected/);

    // Edit: the form holds the view as defined; saving makes v2.
    const edit = await openForm(
      page,
      detail.getByTestId('mlops-feature-edit'),
      'mlops-view-form'
    );
    await expect(edit.getByTestId('mlops-definition-name')).toHaveValue(
      'rider_stats'
    );
    await expect(edit.getByTestId('mlops-view-dataset')).toHaveValue(
      'rider_rows'
    );
    await expect(edit.getByTestId('mlops-view-ttl')).toHaveValue('2');
    await expect(edit.getByTestId('mlops-view-ttl-unit')).toHaveValue('days');
    await expect(edit.getByTestId('mlops-field-name')).toHaveCount(2);
    await edit
      .getByTestId('mlops-definition-description')
      .fill('Rides and score per rider');
    await saveForm(edit);
    await expect(detail.getByTestId('mlops-definition-version')).toHaveText(
      'v2'
    );
    await expect(detail.getByTestId('mlops-definition-by')).toContainText(
      /defined by alice signed in.*· 2 versions · owner team-rides/
    );
    await expect(detail).toContainText('Rides and score per rider');
    await panel.screenshot({ path: `${SHOTS}/features-defined-view.png` });

    // A service of one of the view's features.
    const service = await openForm(
      page,
      panel.getByTestId('mlops-new-service'),
      'mlops-service-form'
    );
    await service.getByTestId('mlops-definition-name').fill('rider_eta');
    await service
      .getByTestId('mlops-service-feature-rider_stats-rides')
      .check();
    await expect(service.getByTestId('mlops-service-refs')).toHaveText(
      'Serves rider_stats:rides'
    );
    await dialog.screenshot({ path: `${SHOTS}/features-define-service.png` });
    await saveForm(service);
    const serviceDetail = panel.getByTestId('mlops-feature-service');
    await expect(serviceDetail).toContainText('rider_eta');
    await expect(
      serviceDetail.getByTestId('mlops-definition-version')
    ).toHaveText('v1');
    await expect(
      serviceDetail.getByTestId('mlops-service-features')
    ).toHaveText('rider_statsrides');
  });
});
