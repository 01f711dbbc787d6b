/**
 * The Datasets panel, driven as a user would: save two versions of a DataFrame from
 * tracked cells (the second made from the first, so lineage exists), then browse the
 * versions, a version's statistics and rows, its lineage to the runs (and back from a
 * run), the diff of the two versions, a check added from the panel, and a load cell.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

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
import pandas as pd`;

// v1: 20 wines keyed by id.
const MAKE = `%%track -e wine-data -n make-wine --no-autolog
df = pd.DataFrame({
    "id": range(1, 21),
    "pH": [3.0 + i / 20 for i in range(20)],
    "color": ["red", "white", "red", "red"] * 5,
})
%dataset save wine df -m "first cut of the wine table" --key id`;

// v2, made from v1 inside a tracked run: ids 1-3 removed, id 10 changed, 21-22 added.
const CLEAN = `%%track -e wine-data -n clean-wine --no-autolog
%dataset load wine@v1 --as first
df2 = first[first.id > 3].copy()
df2.loc[df2.id == 10, "pH"] = 9.9
extra = pd.DataFrame({"id": [21, 22], "pH": [3.5, 3.6], "color": ["red", "white"]})
df2 = pd.concat([df2, extra], ignore_index=True)
%dataset save wine df2 -m "drop ids 1-3, fix id 10, add two"`;

async function saveTwoVersions(page: IJupyterLabPageFixture): Promise<void> {
  await writeNotebook(page, 'wine.ipynb', [SETUP, MAKE, CLEAN]);
  await page.notebook.run();
  await waitForList(page, 'mlops-run-card', 2, 60000);
  expect((await page.notebook.getCellTextOutput(2))?.join('')).toContain(
    'wine saved v2'
  );
}

test.describe('Datasets panel', () => {
  test('empty workspace explains how to save a dataset', async ({ page }) => {
    const panel = await openEmptyPanel(page, 'datasets', {
      datasets: { datasets: [], total: 0 }
    });
    await expect(panel.getByTestId('mlops-no-datasets')).toContainText(
      '%dataset save NAME df'
    );
  });

  test('versions, statistics, rows, lineage, diff, checks and a load cell', async ({
    page
  }) => {
    await saveTwoVersions(page);
    const panel = await openPanel(page, 'datasets');

    // The list, with server-side search; the timeline newest first.
    const dataset = await waitForList(panel, 'mlops-dataset', 1);
    await expect(dataset).toContainText('wine');
    await expect(dataset).toContainText('2 versions');
    const search = panel.getByTestId('mlops-dataset-search');
    await search.fill('beer');
    await expect(panel.getByTestId('mlops-no-datasets')).toContainText('beer');
    await search.fill('win');
    await dataset.click();
    const versions = await waitForList(panel, 'mlops-dataset-version', 2);
    await expect(versions.nth(0)).toContainText('v2');
    await expect(versions.nth(0)).toContainText('19 rows × 3 columns');
    await expect(versions.nth(0)).toContainText('drop ids 1-3');
    await expect(versions.nth(1)).toContainText('v1');
    await expect(versions.nth(1)).toContainText('first cut of the wine table');
    await expect(versions.nth(1).getByTestId('mlops-check-badge')).toHaveText(
      'no checks'
    );
    await panel.screenshot({ path: `${SHOTS}/datasets-list.png` });

    // v1: schema and per-column statistics, then a page of its rows.
    await versions.nth(1).getByTestId('mlops-version-open').click();
    const version = panel.getByTestId('mlops-version-detail');
    await expect(version).toContainText('wine@v1');
    const columns = await waitForList(version, 'mlops-dataset-column', 3);
    await expect(columns.nth(1)).toContainText('pH');
    await expect(columns.nth(1)).toContainText('float64');
    await expect(columns.nth(1)).toContainText('min 3');
    await expect(columns.nth(1)).toContainText('max 3.95');
    await expect(columns.nth(1)).toContainText('q50');
    await expect(columns.nth(2).getByTestId('mlops-top-values')).toContainText(
      'red (15)'
    );
    await expect(version).toContainText('key: id');
    await panel.screenshot({ path: `${SHOTS}/datasets-version.png` });
    await inDarkTheme(page, async () => {
      await expectReadableSelection(dataset);
      await panel.screenshot({ path: `${SHOTS}/datasets-version-dark.png` });
    });
    await pickTab(version, 'rows');
    await waitForList(version, 'mlops-dataset-row', 20);
    await expect(version.getByTestId('mlops-page-range')).toHaveText(
      '1–20 of 20'
    );
    await expect(
      version.getByTestId('mlops-dataset-rows').locator('th')
    ).toContainText(['#', 'id', 'pH', 'color']);
    await panel.screenshot({ path: `${SHOTS}/datasets-rows.png` });

    // Lineage: v1 was produced by make-wine and consumed by clean-wine.
    await pickTab(version, 'lineage');
    const lineage = await waitForList(version, 'mlops-lineage-run', 2);
    await expect(
      lineage.filter({ hasText: 'consumed' }).filter({ hasText: 'clean-wine' })
    ).toHaveCount(1);
    await expect(
      lineage.filter({ hasText: 'produced' }).filter({ hasText: 'make-wine' })
    ).toHaveCount(1);
    await panel.screenshot({ path: `${SHOTS}/datasets-lineage.png` });

    // The run opens in Experiments, which lists its datasets and links back.
    await lineage
      .filter({ hasText: 'clean-wine' })
      .getByTestId('mlops-lineage-open')
      .click();
    const run = panelOf(page, 'experiments').getByTestId('mlops-run-detail');
    await expect(run).toContainText('clean-wine');
    const used = run.getByTestId('mlops-run-dataset');
    await expect(used.filter({ hasText: 'consumed' })).toContainText('wine@v1');
    await expect(used.filter({ hasText: 'produced' })).toContainText('wine@v2');
    await used.first().scrollIntoViewIfNeeded();
    await panelOf(page, 'experiments').screenshot({
      path: `${SHOTS}/datasets-run-detail.png`
    });
    await used
      .filter({ hasText: 'produced' })
      .getByTestId('mlops-run-dataset-open')
      .click();
    await expect(panel).toBeVisible();
    await expect(version).toContainText('wine@v2');
    await expect(version).toContainText('drop ids 1-3');

    // Diff v1 → v2 on the key v1 declared.
    await pickTab(panel, 'diff');
    await expect(panel.getByTestId('mlops-diff-a')).toHaveValue('v1');
    await expect(panel.getByTestId('mlops-diff-b')).toHaveValue('v2');
    await expect(panel.getByTestId('mlops-diff-key')).toHaveValue('id');
    await panel.getByTestId('mlops-diff-run').click();
    const diff = panel.getByTestId('mlops-diff-result');
    await expect(diff).toContainText('wine@v1 → wine@v2');
    await expect(diff.getByTestId('mlops-diff-rows')).toHaveText(
      'rows: 20 → 19'
    );
    await expect(diff.getByTestId('mlops-diff-added')).toHaveText('2 added');
    await expect(diff.getByTestId('mlops-diff-removed')).toHaveText(
      '3 removed'
    );
    await expect(diff.getByTestId('mlops-diff-changed')).toHaveText(
      '1 changed'
    );
    await expect(diff.getByTestId('mlops-diff-shifts')).toContainText('pH');
    await panel.screenshot({ path: `${SHOTS}/datasets-diff.png` });
    await inDarkTheme(page, async () => {
      await panel.screenshot({ path: `${SHOTS}/datasets-diff-dark.png` });
    });

    // A key that is no column: the server's message, not a stack.
    await panel.getByTestId('mlops-diff-key').fill('nope');
    await panel.getByTestId('mlops-diff-run').click();
    await expect(panel.getByTestId('mlops-error')).toContainText('nope');
    await expect(panel.getByTestId('mlops-error')).not.toContainText(
      'Traceback'
    );

    // Checks: pH at most 4 fails on v2 (id 10 is 9.9); ids without nulls pass.
    await pickTab(panel, 'checks');
    await expect(panel.getByTestId('mlops-no-checks')).toBeVisible();
    await expect(panel.getByTestId('mlops-error')).toHaveCount(0);
    await panel.getByTestId('mlops-check-kind').selectOption('in_range');
    await panel.getByTestId('mlops-check-column').selectOption('pH');
    await panel.getByTestId('mlops-check-max').fill('4');
    await panel.getByTestId('mlops-check-add').click();
    await panel.getByTestId('mlops-check-kind').selectOption('not_null');
    await panel.getByTestId('mlops-check-column').selectOption('id');
    await panel.getByTestId('mlops-check-add').click();
    await expect(panel.getByTestId('mlops-check')).toHaveText([
      /pH ≤ 4/,
      /id has no nulls/
    ]);
    await panel.getByTestId('mlops-checks-save').click();
    const report = panel.getByTestId('mlops-check-report');
    await expect(report).toContainText('wine v2: some checks failed');
    const results = report.getByTestId('mlops-check-result');
    await expect(results.nth(0)).toHaveAttribute('data-passed', 'false');
    await expect(results.nth(0)).toContainText('✗');
    await expect(results.nth(0)).toContainText('1 value(s) outside');
    await expect(results.nth(1)).toHaveAttribute('data-passed', 'true');
    await expect(results.nth(1)).toContainText('✓');
    await expect(panel.getByTestId('mlops-notice')).toContainText(
      'Saved 2 check(s); ran them on v2.'
    );
    await panel.screenshot({ path: `${SHOTS}/datasets-checks.png` });
    await inDarkTheme(page, async () => {
      await panel.screenshot({ path: `${SHOTS}/datasets-checks-dark.png` });
    });

    // The timeline now flags v2; v1 was never checked.
    await pickTab(panel, 'versions');
    await expect(versions.nth(0).getByTestId('mlops-check-badge')).toHaveText(
      '✗ failed'
    );
    await expect(versions.nth(1).getByTestId('mlops-check-badge')).toHaveText(
      'no checks'
    );

    // Insert a load cell for v1 below the active cell (the first tracked cell), run it.
    await page.notebook.selectCells(1);
    await versions.nth(1).getByTestId('mlops-insert-load').click();
    await expect(panel.getByTestId('mlops-notice')).toContainText(
      /Inserted "%dataset load wine@v1" in \S*wine\.ipynb/
    );
    expect(await page.notebook.getCellCount()).toBe(4);
    expect(await page.notebook.getCellTextInput(2)).toBe(
      '%dataset load wine@v1'
    );
    await page.notebook.addCell('code', 'print(len(wine), list(wine.columns))');
    await page.notebook.runCell(2);
    await page.notebook.runCell(4);
    expect((await page.notebook.getCellTextOutput(4))?.join('')).toContain(
      "20 ['id', 'pH', 'color']"
    );
  });
});
