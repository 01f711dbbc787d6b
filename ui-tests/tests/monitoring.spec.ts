/**
 * The Monitoring panel and the drift output, driven as a user would: save half of
 * scikit-learn's wine data as a reference dataset, check three windows of the other half
 * with a growing shift as points of one monitor (the last by Evidently's own engine), see
 * the drift output, then the monitor's time series, a point's per-column report, its
 * Evidently report in a sandboxed tab, the alerts (announced as notifications while the
 * panel polls) and acknowledging one. Then the first paint of a 100-point, 50-column
 * monitor, measured (not asserted).
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  execute,
  openEmptyPanel,
  openPanel,
  panelOf,
  pickTab,
  SHOTS,
  waitForList,
  writeNotebook
} from '../helpers/mlops';
import {
  expectReadableSelection,
  expectThemedChart,
  inDarkTheme
} from '../helpers/theme';

const SETUP = `%load_ext jupyter_mlops
import jupyter_mlops as mlops
from sklearn.datasets import load_wine
wine = load_wine(as_frame=True).data.sample(frac=1.0, random_state=0).reset_index(drop=True)
ref_df, rest = wine.iloc[:89].reset_index(drop=True), wine.iloc[89:].reset_index(drop=True)

def window(k):
    """The other half, its first 4k-1 columns moved by k/2 of a standard deviation."""
    cur = rest.copy()
    cols = list(cur.columns)[: 4 * k - 1]
    cur[cols] = cur[cols] + 0.5 * k * ref_df[cols].std()
    return cur`;

const SAVE = '%dataset save ref ref_df -m "wine, first half"';

function check(k: number, extra = ''): string {
  return `cur = window(${k})
%monitor drift --reference ref@v1 --current cur --name wine-drift ${extra}`.trim();
}

/** Dismiss the Lab notifications shown (after a test has read them). */
async function dismissNotifications(
  page: IJupyterLabPageFixture
): Promise<void> {
  for (const notification of await page.notifications) {
    await execute(page, 'apputils:dismiss-notification', {
      id: notification.id
    });
  }
  await expect(page.locator('.Toastify__toast')).toHaveCount(0);
}

async function outputOf(
  page: IJupyterLabPageFixture,
  cell: number
): Promise<Locator> {
  const output = (await page.notebook.getCellLocator(cell))!.locator(
    '.jp-OutputArea-output'
  );
  return output;
}

test.use({ viewport: { width: 1400, height: 900 } });

test.describe('Monitoring panel', () => {
  test('empty workspace explains how to start a monitor', async ({ page }) => {
    const panel = await openEmptyPanel(page, 'monitoring', {
      monitors: { monitors: [], total: 0, open_alerts: 0 },
      alerts: { alerts: [], total: 0, open: 0 }
    });
    await expect(panel.getByTestId('mlops-no-monitors')).toContainText(
      '%monitor drift --reference NAME@v1 --current df --name M'
    );
    await panel.screenshot({ path: `${SHOTS}/monitoring-empty.png` });
  });

  test('drift output, time series, a point report, Evidently, alerts', async ({
    page
  }) => {
    test.setTimeout(240000);
    await writeNotebook(page, 'wine-monitor.ipynb', [
      SETUP,
      SAVE,
      check(1, "--threshold 'drifted_share >= 0.3'")
    ]);
    await page.notebook.run();
    const first = (await outputOf(page, 2)).getByTestId('mlops-drift-card');
    await expect(first).toContainText('no drift', { timeout: 60000 });
    await expect(first.getByTestId('mlops-drift-share')).toHaveText(
      '23.1% drifted'
    );
    await expect(first.getByTestId('mlops-drift-point')).toContainText(
      'recorded as point'
    );

    // The panel polls from now on: the alerts of the next checks are new to it.
    await page.sidebar.setWidth(520, 'left');
    const panel = await openPanel(page, 'monitoring');
    const monitor = panel
      .getByTestId('mlops-monitor')
      .filter({ hasText: 'wine-drift' });
    await expect(monitor.getByTestId('mlops-verdict')).toHaveText('no drift');
    await expect(panel.getByTestId('mlops-alert-badge')).toHaveCount(0);

    await page.notebook.addCell('code', check(2));
    await page.notebook.runCell(3, true);
    await page.notebook.addCell('code', check(3, '--engine evidently'));
    await page.notebook.runCell(4, true);
    const second = (await outputOf(page, 3)).getByTestId('mlops-drift-card');
    await expect(second.getByTestId('mlops-verdict')).toHaveText('drift');
    await expect(second.getByTestId('mlops-drift-share')).toHaveText(
      '53.8% drifted'
    );
    await expect(second.getByTestId('mlops-drift-alert')).toContainText(
      'drifted_share = 0.5385 (rule drifted_share >= 0.3)'
    );
    await expect(
      second.locator('[data-testid=mlops-column-drift-row][data-drifted=true]')
    ).toHaveCount(7);
    await expect(second.getByTestId('mlops-distribution')).toHaveCount(7);
    await expect(
      second.locator('[data-testid=mlops-distribution] .main-svg').first()
    ).toBeVisible();
    const third = (await outputOf(page, 4)).getByTestId('mlops-drift-card');
    await expect(third).toContainText("Evidently's Report", {
      timeout: 120000
    });
    await expect(third).toContainText("Evidently's full report");

    // Each new alert is announced once while the panel polls.
    await expect
      .poll(
        async () =>
          (await page.notifications)
            .map(n => n.message)
            .filter(m => m.startsWith('Monitoring alert')),
        { timeout: 20000 }
      )
      .toHaveLength(2);
    await dismissNotifications(page);
    // The output's top (verdict, table, first charts), as the notebook shows it.
    const shootOutput = async (name: string) => {
      await second.evaluate(el => el.scrollIntoView({ block: 'start' }));
      const notebookBox = await page
        .locator('.jp-NotebookPanel:visible .jp-WindowedPanel-outer')
        .boundingBox();
      const cardBox = await second.boundingBox();
      await page.screenshot({
        path: `${SHOTS}/${name}.png`,
        clip: {
          x: cardBox!.x,
          y: notebookBox!.y,
          width: cardBox!.width,
          height: notebookBox!.height
        }
      });
    };
    await shootOutput('drift-output');
    await inDarkTheme(page, async () => {
      await expectThemedChart(second.getByTestId('mlops-distribution').first());
      await shootOutput('drift-output-dark');
    });

    // The monitor: drift now, two open alerts; its time series.
    await expect(monitor.getByTestId('mlops-verdict')).toHaveText('drift');
    await expect(monitor.getByTestId('mlops-alert-badge')).toHaveText(
      '2 alerts'
    );
    await monitor.click();
    const detail = panel.getByTestId('mlops-monitor-detail');
    await expect(detail.getByTestId('mlops-monitor-thresholds')).toContainText(
      'drifted_share >= 0.3'
    );
    for (const chart of ['drifted-share', 'scores-p_value']) {
      await expect(
        detail.getByTestId(`mlops-chart-${chart}`).locator('.main-svg').first()
      ).toBeVisible();
    }
    const markers = detail
      .getByTestId('mlops-chart-drifted-share')
      .locator('.scatterlayer .point');
    await expect(markers).toHaveCount(3);
    await panel.screenshot({ path: `${SHOTS}/monitoring-series.png` });
    await inDarkTheme(page, async () => {
      await expectReadableSelection(monitor);
      for (const chart of ['drifted-share', 'scores-p_value']) {
        await expectThemedChart(detail.getByTestId(`mlops-chart-${chart}`));
      }
      await panel.screenshot({ path: `${SHOTS}/monitoring-series-dark.png` });
    });

    // A click on the second check's marker opens its per-column report.
    const box = await markers.nth(1).boundingBox();
    await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2);
    const point = panel.getByTestId('mlops-point-detail');
    await expect(point.getByTestId('mlops-point-summary')).toContainText(
      '7 of 13 tested columns drifted (53.8%)'
    );
    const rows = await waitForList(point, 'mlops-column-drift-row', 13);
    await expect(rows.first()).toContainText('alcohol');
    await expect(rows.first()).toContainText('K-S p_value');
    await expect(rows.first()).toContainText('DRIFT');
    await expect(point.getByTestId('mlops-open-report')).toHaveCount(0);
    await panel.screenshot({ path: `${SHOTS}/monitoring-point.png` });
    await inDarkTheme(page, async () => {
      await panel.screenshot({ path: `${SHOTS}/monitoring-point-dark.png` });
    });

    // The points table, newest first: the Evidently check opens its report in a tab.
    await pickTab(panel, 'points');
    const table = await waitForList(panel, 'mlops-point-row', 3);
    await table.first().click();
    await expect(point.getByTestId('mlops-point-summary')).toContainText(
      '11 of 13'
    );
    await point.getByTestId('mlops-open-report').click();
    const tab = page.locator('.jp-mlops-report');
    await expect(tab).toBeVisible();
    const frame = tab.locator('iframe');
    await expect(frame).toHaveAttribute('sandbox', 'allow-scripts');
    await expect(
      page
        .frameLocator('.jp-mlops-report iframe')
        .getByText(/Dataset Drift/i)
        .first()
    ).toBeVisible({ timeout: 30000 });
    await page.screenshot({ path: `${SHOTS}/monitoring-report.png` });

    // Alerts: acknowledge the newest; acknowledged ones on request.
    await pickTab(panel, 'alerts');
    const alerts = await waitForList(panel, 'mlops-alert', 2);
    await alerts.first().getByTestId('mlops-alert-ack').click();
    await expect(panel.getByTestId('mlops-notice')).toContainText(
      'acknowledged by'
    );
    await expect(alerts).toHaveCount(1);
    await expect(monitor.getByTestId('mlops-alert-badge')).toHaveText(
      '1 alert'
    );
    await panel.getByTestId('mlops-show-acknowledged').check();
    await expect(alerts).toHaveCount(2);
    await expect(alerts.first().getByTestId('mlops-alert-acked')).toContainText(
      'acknowledged by'
    );
    await panel.screenshot({ path: `${SHOTS}/monitoring-alerts.png` });

    // From the drift output back to its point in the panel.
    await page.activity.activateTab('wine-monitor.ipynb');
    await second.scrollIntoViewIfNeeded();
    await second.getByTestId('mlops-open-monitor').click();
    await expect(point.getByTestId('mlops-point-summary')).toContainText(
      '7 of 13'
    );
  });

  test('first paint of 100 points over 50 columns (measured)', async ({
    page
  }, testInfo) => {
    test.setTimeout(240000);
    await page.notebook.createNew('perf-monitor.ipynb');
    await page.notebook.setCell(
      0,
      'code',
      `import numpy as np, pandas as pd
import jupyter_mlops as mlops
from jupyter_mlops.monitoring import check_drift
rng = np.random.default_rng(0)
ref = pd.DataFrame(rng.normal(size=(300, 50)), columns=[f"c{i:02d}" for i in range(50)])
# column i drifts more and more from one point to the next
drifting = np.linspace(0, 0.6, 50)
window = lambda k: pd.DataFrame(rng.normal(size=(300, 50)) + k / 100 * drifting, columns=ref.columns)
for k in range(100): mlops.monitor.record("perf-50x100", check_drift(ref, window(k)))
print(len(mlops.monitor.history("perf-50x100")))`
    );
    await page.notebook.run();
    expect((await page.notebook.getCellTextOutput(0))?.join('')).toContain(
      '100'
    );
    await page.sidebar.setWidth(520, 'left');
    // From the command that opens the panel on this monitor to every chart drawn, in a
    // page that has drawn no chart yet (loading plotly.js included).
    const firstPaintMs = await page.evaluate(async () => {
      const drawn = () => {
        const root = document.getElementById('jp-mlops-monitoring');
        const charts = root?.querySelectorAll('[data-testid^=mlops-chart-]');
        return (
          !!charts &&
          charts.length >= 2 &&
          Array.from(charts).every(c => c.querySelector('.main-svg .point'))
        );
      };
      const start = performance.now();
      void window.jupyterapp.commands.execute('mlops:open-monitor', {
        name: 'perf-50x100'
      });
      while (!drawn()) {
        await new Promise(resolve => requestAnimationFrame(resolve));
      }
      return performance.now() - start;
    });
    const panel = panelOf(page, 'monitoring');
    const markers = panel
      .getByTestId('mlops-chart-drifted-share')
      .locator('.scatterlayer .point');
    await expect(markers).toHaveCount(100);
    await expect(
      panel
        .getByTestId('mlops-chart-scores-p_value')
        .locator('.scatterlayer .trace')
    ).toHaveCount(5);
    // The same charts drawn again (Points tab, then back): plotly.js already loaded.
    await pickTab(panel, 'points');
    await waitForList(panel, 'mlops-point-row', 100);
    const redrawMs = await page.evaluate(async () => {
      const root = document.getElementById('jp-mlops-monitoring')!;
      const start = performance.now();
      (
        root.querySelector('[data-testid=mlops-tab-series]') as HTMLElement
      ).click();
      const drawn = () => {
        const charts = root.querySelectorAll('[data-testid^=mlops-chart-]');
        return (
          charts.length >= 2 &&
          Array.from(charts).every(c => c.querySelector('.main-svg .point'))
        );
      };
      while (!drawn()) {
        await new Promise(resolve => requestAnimationFrame(resolve));
      }
      return performance.now() - start;
    });
    const note = `first paint ${firstPaintMs.toFixed(0)} ms, redraw ${redrawMs.toFixed(0)} ms`;
    console.log(`monitoring, 100 points x 50 columns: ${note}`);
    testInfo.annotations.push({
      type: 'monitoring panel, 100 points x 50 columns',
      description: note
    });
    await panel.screenshot({ path: `${SHOTS}/monitoring-100-points.png` });
  });
});
