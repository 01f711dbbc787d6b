/**
 * The Monitoring panel and the drift output, driven as a user would: save half of
 * scikit-learn's wine data as a reference dataset, check three windows of the other half
 * with a growing shift as points of one monitor (the last by Evidently's own engine), see
 * the drift output, then the monitor's time series, a point's per-column report, its
 * Evidently report in a sandboxed tab, the alerts (announced as notifications while the
 * panel polls) and acknowledging one. Then, measured (not asserted): the first paint of a
 * 100-point, 50-column monitor, its redraw, a second panel's first chart, and the first paint
 * in a page just loaded.
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
    // Keep every fetch in the page's network timeline (250 by default: Lab fills that).
    await page.addInitScript(() =>
      performance.setResourceTimingBufferSize(100000)
    );
    await page.goto();
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
# a run whose loss was logged at 50 steps: the Experiments panel charts it
with mlops.track(experiment="perf-charts", run_name="curve", autolog=False) as run:
    for step in range(50): run.log_metrics({"loss": 1 / (step + 1)}, step=step)`
    );
    await page.notebook.addCell(
      'code',
      'print(len(mlops.monitor.history("perf-50x100")), run.run_id)'
    );
    await page.notebook.run();
    const printed = (await page.notebook.getCellTextOutput(1))?.join('') ?? '';
    const [count, runId] = printed.trim().split(/\s+/);
    expect(count).toBe('100');
    await page.sidebar.setWidth(520, 'left');
    const notes: string[] = [];
    const note = (text: string) => {
      notes.push(text);
      console.log(`monitoring, 100 points x 50 columns: ${text}`);
    };

    // From the command that opens the panel on this monitor to every chart drawn, in a
    // page that has drawn no chart yet. Lab fetched plotly.js while idle (the notebook ran
    // meanwhile), as it has for anyone who opens the panel a moment after Lab loaded.
    const monitorCharts = {
      command: 'mlops:open-monitor',
      args: { name: 'perf-50x100' },
      within: '#jp-mlops-monitoring',
      charts: '[data-testid^=mlops-chart-]',
      atLeast: 2,
      drawn: '.main-svg .point'
    };
    const first = await page.evaluate(timeToCharts, monitorCharts);
    note(`first paint ${describe(first)}`);
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
    await panel.screenshot({ path: `${SHOTS}/monitoring-100-points.png` });

    // The same charts drawn again (Points tab, then back).
    await pickTab(panel, 'points');
    await waitForList(panel, 'mlops-point-row', 100);
    const redraw = await page.evaluate(timeToCharts, {
      ...monitorCharts,
      command: null
    });
    note(`redraw ${redraw.ms.toFixed(0)} ms`);

    // A second panel's first chart: the Experiments panel opened on the run, from the
    // command to its loss curve drawn (its requests, its first render, the drawing).
    const second = await page.evaluate(timeToCharts, {
      command: 'mlops:open-run',
      args: { runId },
      within: '#jp-mlops-experiments [data-testid=mlops-run-detail]',
      charts: '.jp-mlops-chart',
      atLeast: 1,
      drawn: '.main-svg .trace'
    });
    note(
      `a second panel's first chart (Experiments, a run's loss) ${describe(second)}`
    );

    // The least favourable case: the panel opened the moment Lab has restored its layout
    // in a page just loaded, when plotly.js may still be on its way (the note says).
    await page.notebook.save();
    await execute(page, 'application:close-all');
    await page.evaluate(() => location.reload());
    await page.waitForFunction(() =>
      window.jupyterapp?.commands.hasCommand('mlops:open-monitor')
    );
    await page.evaluate(() => window.jupyterapp.restored);
    const cold = await page.evaluate(timeToCharts, monitorCharts);
    note(`first paint in a page just loaded ${describe(cold)}`);
    await expect(markers).toHaveCount(100);

    testInfo.annotations.push({
      type: 'monitoring panel, 100 points x 50 columns',
      description: notes.join('; ')
    });
  });
});

interface IChartTiming {
  ms: number;
  /** Where plotly.js's script stood when the command ran. */
  plotly: string;
  plotlyBytes: number;
  /** The panel's API requests, each `path start-end` in ms after the command. */
  requests: string;
}

function describe(timing: IChartTiming): string {
  const mb = (timing.plotlyBytes / 2 ** 20).toFixed(1);
  return (
    `${timing.ms.toFixed(0)} ms (plotly.js ${timing.plotly}, ${mb} MB of ` +
    `script; requests: ${timing.requests || 'none'})`
  );
}

/**
 * In the page: run `command` (or, with none, click the Time series tab of the Monitoring
 * panel), wait until `atLeast` charts under `within` show `drawn`, and say how long that
 * took, where plotly.js's script stood (fetched how long before, or after, the command, as
 * the page's network timeline records it) and when each API request went and came back.
 */
async function timeToCharts(what: {
  command: string | null;
  args?: Record<string, string>;
  within: string;
  charts: string;
  atLeast: number;
  drawn: string;
}): Promise<IChartTiming> {
  const drawn = () => {
    const charts = document.querySelectorAll(`${what.within} ${what.charts}`);
    return (
      charts.length >= what.atLeast &&
      Array.from(charts).every(c => c.querySelector(what.drawn))
    );
  };
  const start = performance.now();
  if (what.command) {
    void window.jupyterapp.commands.execute(what.command, what.args ?? {});
  } else {
    (
      document.querySelector(
        '#jp-mlops-monitoring [data-testid=mlops-tab-series]'
      ) as HTMLElement
    ).click();
  }
  while (!drawn()) {
    await new Promise(resolve => requestAnimationFrame(resolve));
  }
  const ms = performance.now() - start;
  const entries = performance.getEntriesByType(
    'resource'
  ) as PerformanceResourceTiming[];
  const scripts = entries.filter(e => /plotly/.test(e.name));
  const before = scripts.filter(e => e.responseEnd <= start);
  const after = (e: PerformanceResourceTiming) =>
    e.responseEnd - Math.max(e.startTime, start);
  const plotly =
    scripts.length === 0
      ? 'not fetched'
      : before.length === scripts.length
        ? `fetched ${(start - Math.max(...before.map(e => e.responseEnd))).toFixed(0)} ms before`
        : `fetched after the command, ${Math.max(...scripts.map(after)).toFixed(0)} ms of it`;
  const requests = entries
    .filter(e => e.startTime >= start && /\/mlops\/api\//.test(e.name))
    .map(e => {
      const path = new URL(e.name).pathname.replace(/.*\/mlops\/api\//, '');
      const [from, to] = [e.startTime - start, e.responseEnd - start];
      return `${path} ${from.toFixed(0)}-${to.toFixed(0)}`;
    })
    .join(', ');
  const plotlyBytes = scripts.reduce(
    (sum, e) => sum + (e.decodedBodySize || e.encodedBodySize || 0),
    0
  );
  return { ms, plotly, plotlyBytes, requests };
}
