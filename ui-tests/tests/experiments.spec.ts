/**
 * The Experiments panel, driven as a user would: track two runs from a notebook, see them
 * in the panel, sort, filter (with a bad filter's message), open a run, compare two runs.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

import {
  LOAD_EXT,
  openEmptyPanel,
  openPanel,
  panelOf,
  SHOTS,
  waitForList,
  writeNotebook
} from '../helpers/mlops';
import {
  expectReadableSelection,
  expectThemedChart,
  inDarkTheme
} from '../helpers/theme';

const TRAIN = (C: number) => `%%track --metric accuracy --name logreg-C${C}
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
X, y = load_wine(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.5, random_state=0)
model = make_pipeline(StandardScaler(), LogisticRegression(C=${C}, max_iter=300)).fit(X_tr, y_tr)
_ = [mlops.log_metrics({"loss": 1.0 / (e + 1) / ${C}}) for e in range(5)]
mlops.log_params({"C": ${C}})
mlops.log_metrics({"accuracy": model.score(X_te, y_te)})`;

async function trackTwoRuns(page: IJupyterLabPageFixture): Promise<void> {
  await writeNotebook(page, 'train.ipynb', [LOAD_EXT, TRAIN(0.01), TRAIN(1)]);
  await page.notebook.run();
  await waitForList(page, 'mlops-run-card', 2, 60000);
}

test.describe('Experiments panel', () => {
  test('empty workspace explains what to do', async ({ page }) => {
    const panel = await openEmptyPanel(page, 'experiments', {
      experiments: { experiments: [] }
    });
    await expect(panel.getByTestId('mlops-no-experiments')).toContainText(
      '%%track'
    );
    await panel.screenshot({ path: `${SHOTS}/experiments-empty.png` });
  });

  test('track runs, browse, sort, filter, open and compare', async ({
    page
  }) => {
    await trackTwoRuns(page);
    const card = page.getByTestId('mlops-run-card').last();
    await expect(card).toContainText('logreg-C1');
    await expect(card.getByTestId('mlops-run-delta')).toContainText(
      'vs best earlier run'
    );
    await card.screenshot({ path: `${SHOTS}/track-summary.png` });

    const panel = await openPanel(page, 'experiments');
    // The experiment is named after the notebook; both runs appear without a reload.
    await expect(panel.getByTestId('mlops-experiment').first()).toContainText(
      'train'
    );
    const rows = await waitForList(panel, 'mlops-run-row', 2);
    await expect(panel.getByTestId('mlops-col-metrics-accuracy')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/experiments-runs.png` });

    // Sort by the loss metric: ascending puts C=1 (the lower loss) first.
    await panel.getByTestId('mlops-col-metrics-loss').click();
    await panel.getByTestId('mlops-col-metrics-loss').click();
    await expect(panel.getByTestId('mlops-col-metrics-loss')).toContainText(
      '▲'
    );
    await expect(rows.first()).toContainText('logreg-C1');

    // A bad filter shows the server's message; a good one narrows the table.
    const filter = panel.getByTestId('mlops-filter');
    await filter.fill('metrics.accuracy >>> 1');
    await filter.press('Enter');
    await expect(panel.getByTestId('mlops-error')).toContainText('bad filter');
    await panel.screenshot({ path: `${SHOTS}/experiments-bad-filter.png` });
    await filter.fill("params.C = '1'");
    await filter.press('Enter');
    await expect(panel.getByTestId('mlops-error')).toHaveCount(0);
    await expect(rows).toHaveCount(1);
    await filter.fill('');
    await filter.press('Enter');
    await expect(rows).toHaveCount(2);

    // Run detail, with the tracked cell and the way back to its notebook.
    await rows.first().locator('a').click();
    const detail = panel.getByTestId('mlops-run-detail');
    await expect(detail).toContainText('accuracy');
    await expect(detail.getByTestId('mlops-cell-source')).toContainText(
      '%%track --metric accuracy'
    );
    await expect(detail.getByTestId('mlops-open-notebook')).toBeVisible();
    await expect(detail).toContainText('notebook: ');
    await expect(detail).toContainText('train.ipynb');
    await page.screenshot({ path: `${SHOTS}/experiments-run-detail.png` });
    // In the dark theme: the selected experiment and the metric charts read.
    await inDarkTheme(page, async () => {
      await expectReadableSelection(
        panel.locator('li.jp-mod-selected[data-testid="mlops-experiment"]')
      );
      await expectThemedChart(detail.locator('.jp-mlops-chart').first());
      await page.screenshot({
        path: `${SHOTS}/experiments-run-detail-dark.png`
      });
    });
    await panel.getByTestId('mlops-back').click();

    // Select both runs and compare them.
    const boxes = panel.getByTestId('mlops-run-select');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await panel.getByTestId('mlops-compare-button').click();
    // The comparison opens in the main area, where its charts have room.
    const compare = page
      .locator('.jp-mlops-compare-main')
      .getByTestId('mlops-compare');
    await expect(compare).toContainText('Comparing 2 runs');
    await expect(
      compare.getByTestId('mlops-compare-history').first()
    ).toBeVisible();
    await expect(compare.getByTestId('mlops-param-diff')).toContainText('C');
    await expect(
      compare.locator('.jp-mlops-chart .main-svg').first()
    ).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/experiments-compare.png` });

    // The charts follow a theme change while shown: dark, then light again.
    const bars = compare.getByTestId('mlops-compare-metrics');
    await expectThemedChart(bars);
    await inDarkTheme(page, async () => {
      await expectThemedChart(bars);
      await expectThemedChart(
        compare.getByTestId('mlops-compare-history').first()
      );
      await page.screenshot({ path: `${SHOTS}/experiments-compare-dark.png` });
      // parallel coordinates: drawn by plotly's WebGL build, the others by the basic one
      const parcoords = compare.getByTestId('mlops-compare-parcoords');
      await parcoords.scrollIntoViewIfNeeded();
      await expect(parcoords.locator('.main-svg .parcoords')).toBeVisible();
      await parcoords.screenshot({
        path: `${SHOTS}/experiments-parcoords-dark.png`
      });
    });
    await expectThemedChart(bars);
  });

  test('a new run appears in the open panel without a reload', async ({
    page
  }) => {
    await writeNotebook(page, 'live.ipynb', [
      LOAD_EXT,
      "%%track -e live -n first --no-autolog\nmlops.log_metrics({'score': 0.5})"
    ]);
    await page.notebook.run();
    const panel = await openPanel(page, 'experiments');
    await panel
      .getByTestId('mlops-experiment')
      .filter({ hasText: 'live' })
      .click();
    const rows = await waitForList(panel, 'mlops-run-row', 1);
    await page.notebook.addCell(
      'code',
      "%%track -e live -n appeared --no-autolog\nmlops.log_metrics({'score': 1.0})"
    );
    await page.notebook.runCell(2);
    // No click in the panel: its polling picks the new run up.
    await expect(rows).toHaveCount(2, { timeout: 20000 });
    await expect(rows.first()).toContainText('appeared');
  });

  test('the summary card opens its run in the panel', async ({ page }) => {
    await writeNotebook(page, 'card.ipynb', [
      LOAD_EXT,
      "%%track -n from-card --no-autolog\nmlops.log_metrics({'score': 0.5})"
    ]);
    await page.notebook.run();
    const card = page.getByTestId('mlops-run-card');
    await expect(card).toContainText('from-card');
    await card.getByTestId('mlops-open-run').click();
    const detail = panelOf(page, 'experiments').getByTestId('mlops-run-detail');
    await expect(detail).toContainText('from-card');
    await expect(detail).toContainText('score');
  });
});
