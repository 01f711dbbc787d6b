/**
 * The Jobs panel and the notebook side of jobs, driven as a user would: write a small
 * notebook, tag its first cell as the parameters cell with the command, promote it with
 * a cron schedule through the toolbar's dialog (a bad cron first: the server's message
 * stays in the dialog), run it now from the panel, watch it succeed on a real kernel,
 * open its executed notebook read-only, and open the promotion to staging with its
 * gates. A notebook that raises gives a failed run, announced once as a notification.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  execute,
  openEmptyPanel,
  panelOf,
  pickTab,
  SHOTS,
  waitForList,
  writeNotebook
} from '../helpers/mlops';
import { expectReadableSelection, inDarkTheme } from '../helpers/theme';

const PARAMETERS = `epochs = 3
learning_rate = 0.1
label = "baseline"
layers = [32, 16]
verbose = False`;

const BODY = `score = learning_rate * epochs * sum(layers)
print(f"{label}: score={score}")`;

const TIMEZONE = 'America/New_York';

/** The tags of cell `index` of the current notebook. */
async function cellTags(
  page: IJupyterLabPageFixture,
  index: number
): Promise<unknown> {
  return page.evaluate(i => {
    const nb = (window.jupyterapp.shell.currentWidget as any).content;
    return nb.widgets[i].model.getMetadata('tags') ?? [];
  }, index);
}

/** Tag cell 0 as the parameters cell with the command, as the menu would. */
async function markParameters(page: IJupyterLabPageFixture): Promise<void> {
  await page.notebook.selectCells(0);
  await execute(page, 'mlops:toggle-parameters-cell');
  await expect.poll(() => cellTags(page, 0)).toEqual(['parameters']);
  await expect((await page.notebook.getCellLocator(0))!).toHaveClass(
    /jp-mlops-parameters-cell/
  );
}

/** Close the open dialog with its own Close button. */
async function closeDialog(page: IJupyterLabPageFixture): Promise<void> {
  await page.locator('.jp-Dialog-footer .jp-Dialog-button').click();
  await expect(page.locator('.jp-Dialog')).toHaveCount(0);
}

async function openPromoteDialog(
  page: IJupyterLabPageFixture
): Promise<Locator> {
  await page
    .locator('.jp-NotebookPanel:visible .jp-mlops-promote-button')
    .click();
  const dialog = page.getByTestId('mlops-promote-notebook');
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Promote with the dialog as filled, then run the new job now from the Jobs panel. */
async function promoteAndRunNow(
  page: IJupyterLabPageFixture,
  dialog: Locator
): Promise<{ panel: Locator; run: Locator }> {
  await dialog.getByTestId('mlops-promote-submit').click();
  await expect(dialog).toHaveCount(0);
  const panel = panelOf(page, 'jobs');
  const detail = panel.getByTestId('mlops-job-detail');
  await detail.getByTestId('mlops-run-now').click();
  return { panel, run: detail.getByTestId('mlops-job-run-detail') };
}

/** A python3 notebook of `cells` (the first tagged `parameters` when asked). */
function notebookJson(cells: string[], parameters = false): string {
  return JSON.stringify({
    cells: cells.map((source, i) => ({
      cell_type: 'code',
      execution_count: null,
      metadata: i === 0 && parameters ? { tags: ['parameters'] } : {},
      outputs: [],
      source
    })),
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3',
        language: 'python'
      },
      language_info: { name: 'python' }
    },
    nbformat: 4,
    nbformat_minor: 5
  });
}

test.use({ viewport: { width: 1400, height: 900 } });

test.describe('Jobs panel', () => {
  test('empty workspace explains how to promote a notebook', async ({
    page
  }) => {
    const panel = await openEmptyPanel(page, 'jobs', {
      jobs: { jobs: [], total: 0 }
    });
    await expect(panel.getByTestId('mlops-no-jobs')).toContainText(
      'Promote to job'
    );
  });

  test('a promotion refused by the server stays in its dialog', async ({
    page
  }) => {
    // Two people promote at once: the gates passed when read, the server answers 409.
    const stage = (name: string, version: number | null) => ({
      stage: name,
      version,
      cron: null,
      timezone: 'UTC',
      parameters: {},
      paused: false,
      next_fire_at: null,
      updated_at: '2026-11-23T10:00:00'
    });
    const stages = [stage('dev', 2), stage('staging', 1), stage('prod', null)];
    const job = {
      name: 'race',
      missed_policy: 'skip',
      created_by: 'ann',
      created_at: '2026-11-23T09:00:00',
      latest_version: 2,
      stages
    };
    await page.route(/\/mlops\/api\/jobs(\?|$)/, route =>
      route.fulfill({
        json: {
          jobs: [
            {
              name: 'race',
              latest_version: 2,
              missed_policy: 'skip',
              stages,
              last_run: null,
              notebook_changed: false
            }
          ],
          total: 1
        }
      })
    );
    await page.route(/\/mlops\/api\/jobs\/race(\?|$)/, route =>
      route.fulfill({
        json: { job, versions: [], events: [], changed_steps: [] }
      })
    );
    await page.route(/\/mlops\/api\/jobs\/race\/runs(\?|$)/, route =>
      route.fulfill({ json: { runs: [], total: 0 } })
    );
    await page.route(/\/mlops\/api\/jobs\/race\/promotion\?/, route =>
      route.fulfill({
        json: {
          job: 'race',
          from_stage: 'dev',
          to_stage: 'staging',
          version: 2,
          gates: [
            { name: 'recent runs', passed: true, reason: '3 of 3 succeeded' }
          ],
          allowed: true
        }
      })
    );
    let body: unknown = null;
    await page.route(/\/mlops\/api\/jobs\/race\/promote(\?|$)/, route => {
      body = route.request().postDataJSON();
      return route.fulfill({
        status: 409,
        json: {
          message:
            "staging of job 'race' runs v2, not v1 as expected: reload and try again",
          reason: 'Conflict'
        }
      });
    });
    await execute(page, 'mlops:open-job', { name: 'race' });
    const panel = panelOf(page, 'jobs');
    await panel
      .locator('[data-testid=mlops-job-stage][data-stage=dev]')
      .getByTestId('mlops-promote')
      .click();
    const dialog = page.getByTestId('mlops-promote-stage');
    await dialog.getByTestId('mlops-promote-confirm').click();
    await expect(dialog.getByTestId('mlops-error')).toContainText(
      'reload and try again'
    );
    expect(body).toEqual({ to: 'staging', expected_version: 1 });
    await closeDialog(page);
  });

  test('mark parameters, promote with a schedule, run now, output, gates', async ({
    page
  }) => {
    test.setTimeout(300000);
    await writeNotebook(page, 'train-job.ipynb', [PARAMETERS, BODY]);

    // The parameters cell: toggled by the command, offered in the cell's context menu.
    await markParameters(page);
    await (await page.notebook.getCellLocator(0))!.click({ button: 'right' });
    const item = page.locator('.lm-Menu-item', {
      hasText: 'Mark as Parameters Cell'
    });
    await expect(item).toBeVisible();
    await expect(item).toHaveAttribute('aria-checked', 'true');
    await page.screenshot({ path: `${SHOTS}/jobs-parameters-cell.png` });
    await page.keyboard.press('Escape');

    // Promote: typed inputs from the parameters cell; a bad cron is refused in place.
    const dialog = await openPromoteDialog(page);
    await expect(dialog.getByTestId('mlops-job-name')).toHaveValue('train-job');
    await expect(dialog.getByTestId('mlops-param-epochs')).toHaveValue('3');
    await expect(dialog.getByTestId('mlops-param-epochs')).toHaveAttribute(
      'type',
      'number'
    );
    await expect(dialog.getByTestId('mlops-param-label')).toHaveValue(
      'baseline'
    );
    await expect(dialog.getByTestId('mlops-param-layers')).toHaveValue(
      '[32,16]'
    );
    await expect(dialog.getByTestId('mlops-param-verbose')).not.toBeChecked();
    await dialog.getByTestId('mlops-param-epochs').fill('2');
    await dialog.getByTestId('mlops-param-label').fill('nightly "v2"');
    await dialog.getByTestId('mlops-schedule-cron').check();
    await dialog.getByTestId('mlops-cron').fill('30 6 * * 1-5');
    await dialog.getByTestId('mlops-timezone').fill(TIMEZONE);
    await dialog.getByTestId('mlops-retries').fill('1');
    await page.screenshot({ path: `${SHOTS}/jobs-promote-dialog.png` });
    await dialog.getByTestId('mlops-cron').fill('0 61 * * *');
    await dialog.getByTestId('mlops-promote-submit').click();
    await expect(dialog.getByTestId('mlops-error')).toContainText('cron');
    await page.screenshot({ path: `${SHOTS}/jobs-promote-error.png` });
    await dialog.getByTestId('mlops-cron').fill('30 6 * * 1-5');
    await dialog.getByTestId('mlops-promote-submit').click();
    await expect(dialog).toHaveCount(0);

    // The Jobs panel opens on the new job: dev runs v1 on its schedule.
    await page.sidebar.setWidth(560, 'left');
    const panel = panelOf(page, 'jobs');
    await expect(panel).toBeVisible();
    const job = panel.getByTestId('mlops-job').filter({ hasText: 'train-job' });
    await expect(job.getByTestId('mlops-stage-badge')).toHaveText('dev v1');
    const detail = panel.getByTestId('mlops-job-detail');
    const dev = detail.locator('[data-testid=mlops-job-stage][data-stage=dev]');
    await expect(dev.getByTestId('mlops-stage-version')).toHaveText('v1');
    await expect(dev.getByTestId('mlops-stage-schedule')).toContainText(
      `30 6 * * 1-5 in ${TIMEZONE}`
    );
    // 06:30 in New York, whatever the browser's zone
    await expect(dev.getByTestId('mlops-stage-next')).toContainText('6:30');
    await panel.screenshot({ path: `${SHOTS}/jobs-stages.png` });
    await inDarkTheme(page, async () => {
      await expectReadableSelection(job);
      await panel.screenshot({ path: `${SHOTS}/jobs-stages-dark.png` });
    });

    // Pause and resume the schedule.
    await dev.getByTestId('mlops-stage-pause').click();
    await expect(dev.getByTestId('mlops-stage-next')).toContainText('paused');
    await expect(dev.getByTestId('mlops-stage-pause')).toHaveText(
      'Resume schedule'
    );
    await dev.getByTestId('mlops-stage-pause').click();
    await expect(dev.getByTestId('mlops-stage-next')).toContainText('6:30');

    // Run now: the run opens and is followed until it succeeds on a real kernel.
    await dev.getByTestId('mlops-run-now').click();
    const run = detail.getByTestId('mlops-job-run-detail');
    await expect(run).toBeVisible();
    await expect(run.getByTestId('mlops-job-status').first()).toHaveText(
      'succeeded',
      { timeout: 180000 }
    );
    const step = await waitForList(run, 'mlops-dag-step', 1);
    await expect(step).toHaveAttribute('data-status', 'succeeded');
    await expect(run).toContainText('manual');
    await expect(run.getByTestId('mlops-job-log')).not.toHaveText('Loading…');
    await panel.screenshot({ path: `${SHOTS}/jobs-run.png` });

    // The run in the job's history.
    await run.getByTestId('mlops-back').click();
    const rows = await waitForList(detail, 'mlops-job-run', 1);
    await expect(rows.first().getByTestId('mlops-job-status')).toHaveText(
      'succeeded'
    );
    await expect(job.getByTestId('mlops-job-status')).toHaveText('succeeded');
    await panel.screenshot({ path: `${SHOTS}/jobs-runs.png` });

    // Its executed notebook, read-only in a sandboxed tab, with the injected values.
    await rows.first().click();
    await run.getByTestId('mlops-step-output').click();
    const tab = page.locator('.jp-mlops-job-output');
    await expect(tab).toBeVisible();
    await expect(tab.locator('iframe')).toHaveAttribute(
      'sandbox',
      'allow-scripts'
    );
    const frame = page.frameLocator('.jp-mlops-job-output iframe');
    await expect(
      frame.getByText('nightly "v2": score=9.6').first()
    ).toBeVisible({ timeout: 30000 });
    await page.screenshot({ path: `${SHOTS}/jobs-output.png` });

    // Promote to staging: the gates, each with its reason.
    await pickTab(detail, 'stages');
    await dev.getByTestId('mlops-promote').click();
    const promote = page.getByTestId('mlops-promote-stage');
    await expect(promote).toBeVisible();
    const gates = promote.getByTestId('mlops-gate');
    await expect(gates.first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/jobs-gates.png` });
    const confirm = promote.getByTestId('mlops-promote-confirm');
    // dev ran v1 once, successfully: every gate passes.
    await expect(confirm).toBeEnabled();
    await confirm.click();
    await expect(promote).toHaveCount(0);
    const staging = detail.locator(
      '[data-testid=mlops-job-stage][data-stage=staging]'
    );
    await expect(staging.getByTestId('mlops-stage-version')).toHaveText('v1');

    // staging gets its own schedule, in its own timezone.
    await staging.getByTestId('mlops-stage-schedule-edit').click();
    const schedule = page.getByTestId('mlops-schedule-dialog');
    await schedule.getByTestId('mlops-stage-cron').fill('0 7 * * *');
    await schedule.getByTestId('mlops-stage-timezone').fill('Mars/Olympus');
    await schedule.getByTestId('mlops-schedule-save').click();
    await expect(schedule.getByTestId('mlops-error')).toContainText(
      'Mars/Olympus'
    );
    await schedule.getByTestId('mlops-stage-timezone').fill('Europe/Paris');
    await schedule.getByTestId('mlops-stage-parameters').fill('{"epochs": 5}');
    await schedule.getByTestId('mlops-schedule-save').click();
    await expect(schedule).toHaveCount(0);
    await expect(staging.getByTestId('mlops-stage-schedule')).toContainText(
      '0 7 * * * in Europe/Paris'
    );
    await expect(staging.getByTestId('mlops-stage-next')).toContainText(
      '07:00'
    );
    await expect(staging).toContainText('parameters: {"epochs":5}');

    await pickTab(detail, 'audit');
    await expect(
      detail.locator('[data-testid=mlops-job-event][data-action=promote]')
    ).toHaveCount(1);

    // On to prod: staging has not run v1 yet, so a gate fails and says why.
    await pickTab(detail, 'stages');
    await staging.getByTestId('mlops-promote').click();
    const toProd = page.getByTestId('mlops-promote-stage');
    await expect(
      toProd.locator('[data-testid=mlops-gate][data-passed=false]').first()
    ).toBeVisible();
    await expect(toProd.getByTestId('mlops-promote-confirm')).toBeDisabled();
    await page.screenshot({ path: `${SHOTS}/jobs-gates-blocked.png` });
    await closeDialog(page);

    // The notebook changes: the panel offers a new version, which dev then runs.
    await page.activity.activateTab('train-job.ipynb');
    await page.notebook.setCell(1, 'code', `${BODY}\nprint("v2")`);
    await page.notebook.save();
    const changed = detail.getByTestId('mlops-job-changed');
    await expect(changed).toContainText('changed since v1', { timeout: 30000 });
    await panel.screenshot({ path: `${SHOTS}/jobs-notebook-changed.png` });
    await inDarkTheme(page, async () => {
      await panel.screenshot({
        path: `${SHOTS}/jobs-notebook-changed-dark.png`
      });
    });
    await changed.getByTestId('mlops-job-update').click();
    await expect(panel.getByTestId('mlops-notice')).toContainText(
      'train-job v2 created'
    );
    await expect(changed).toHaveCount(0);
    await expect(dev.getByTestId('mlops-stage-version')).toHaveText('v2');
    await expect(staging.getByTestId('mlops-stage-version')).toHaveText('v1');

    // v2 runs in dev, moves to staging, and staging is rolled back to v1.
    await dev.getByTestId('mlops-run-now').click();
    await expect(run.getByTestId('mlops-job-status').first()).toHaveText(
      'succeeded',
      { timeout: 180000 }
    );
    await expect(run).toContainText('dev v2');
    await pickTab(detail, 'stages');
    await dev.getByTestId('mlops-promote').click();
    await expect(
      page.getByTestId('mlops-promote-stage').getByTestId('mlops-gate').first()
    ).toBeVisible();
    await page.getByTestId('mlops-promote-confirm').click();
    await expect(staging.getByTestId('mlops-stage-version')).toHaveText('v2');
    await staging.getByTestId('mlops-rollback').click();
    const confirmRollback = page.locator('.jp-Dialog');
    await expect(confirmRollback).toContainText('staging runs v2 now');
    await page.screenshot({ path: `${SHOTS}/jobs-rollback.png` });
    await confirmRollback.getByRole('button', { name: 'Roll back' }).click();
    await expect(panel.getByTestId('mlops-notice')).toContainText(
      'train-job staging rolled back to v1'
    );
    await expect(staging.getByTestId('mlops-stage-version')).toHaveText('v1');
    await pickTab(detail, 'audit');
    await expect(
      detail.locator('[data-testid=mlops-job-event][data-action=rollback]')
    ).toContainText('rollback staging v2 → v1');
    await panel.screenshot({ path: `${SHOTS}/jobs-audit.png` });
  });

  test('a failed run is announced once', async ({ page }) => {
    test.setTimeout(240000);
    await writeNotebook(page, 'broken-job.ipynb', [
      'threshold = 1',
      'raise ValueError(f"threshold {threshold} too low")'
    ]);
    await markParameters(page);
    const dialog = await openPromoteDialog(page);
    // One retry, a second after the first failure.
    await dialog.getByTestId('mlops-retries').fill('1');
    await dialog.getByTestId('mlops-backoff').fill('1');
    const { run } = await promoteAndRunNow(page, dialog);
    await expect(run.getByTestId('mlops-job-status').first()).toHaveText(
      'failed',
      { timeout: 180000 }
    );
    await expect(run).toContainText('attempt 2 of 2');
    await expect(
      run.locator('[data-testid=mlops-dag-step][data-status=failed]')
    ).toHaveCount(1);
    await expect
      .poll(
        async () =>
          (await page.notifications)
            .map(n => n.message)
            .filter(m => m.startsWith('Job broken-job run')),
        { timeout: 30000 }
      )
      .toHaveLength(1); // the run failed once, after its retry
    await page.sidebar.setWidth(560, 'left');
    // The panel and the notification in the corner.
    await page.screenshot({ path: `${SHOTS}/jobs-failed-run.png` });
  });

  test('a running job is cancelled from its run', async ({ page }) => {
    test.setTimeout(240000);
    await writeNotebook(page, 'slow-job.ipynb', [
      'seconds = 300',
      'import time\ntime.sleep(seconds)'
    ]);
    // This time from the command palette.
    await page.notebook.selectCells(0);
    await page.keyboard.press('Control+Shift+C');
    const palette = page.locator('#command-palette');
    await palette.locator('.lm-CommandPalette-input').fill('Mark as Param');
    await expect(
      palette.locator('.lm-CommandPalette-item', {
        hasText: 'Mark as Parameters Cell'
      })
    ).toBeVisible();
    await page.keyboard.press('Enter');
    await expect.poll(() => cellTags(page, 0)).toEqual(['parameters']);
    const dialog = await openPromoteDialog(page);
    const { panel, run } = await promoteAndRunNow(page, dialog);
    const step = run.getByTestId('mlops-dag-step');
    await expect(step).toHaveAttribute('data-status', 'running', {
      timeout: 120000
    });
    await run.getByTestId('mlops-run-cancel').click();
    await expect(panel.getByTestId('mlops-notice')).toContainText(
      'cancel requested'
    );
    await expect(run.getByTestId('mlops-job-status').first()).toHaveText(
      'cancelled',
      { timeout: 60000 }
    );
    await expect(step).toHaveAttribute('data-status', 'cancelled');
    await page.sidebar.setWidth(560, 'left');
    await panel.screenshot({ path: `${SHOTS}/jobs-cancelled.png` });
  });

  test('a pipeline run shows its DAG, step by step', async ({ page }) => {
    test.setTimeout(300000);
    // extract → clean → train, and report after both clean and train.
    const OUT = 'import jupyter_mlops as mlops\n';
    const notebooks: Record<string, string> = {
      'extract.ipynb': notebookJson([OUT + 'mlops.output("rows", 120)']),
      'clean.ipynb': notebookJson(
        ['rows = 0', OUT + 'mlops.output("kept", rows - 20)'],
        true
      ),
      'train.ipynb': notebookJson(
        ['kept = 0', OUT + 'mlops.output("score", kept / 200)'],
        true
      ),
      'report.ipynb': notebookJson(['print("report written")'])
    };
    for (const [name, content] of Object.entries(notebooks)) {
      expect(
        await page.contents.uploadContent(content, 'text', `pipeline/${name}`)
      ).toBe(true);
    }
    const created = await page.request.post('/mlops/api/jobs', {
      data: {
        notebook: null,
        name: 'nightly-pipeline',
        cron: null,
        timezone: 'UTC',
        steps: [
          { name: 'extract', notebook: 'pipeline/extract.ipynb' },
          {
            name: 'clean',
            notebook: 'pipeline/clean.ipynb',
            inputs: { rows: 'extract.rows' }
          },
          {
            name: 'train',
            notebook: 'pipeline/train.ipynb',
            inputs: { kept: 'clean.kept' }
          },
          {
            name: 'report',
            notebook: 'pipeline/report.ipynb',
            depends_on: ['clean', 'train']
          }
        ]
      }
    });
    expect(created.status()).toBe(200);

    await execute(page, 'mlops:open-job', { name: 'nightly-pipeline' });
    await page.sidebar.setWidth(640, 'left');
    const panel = panelOf(page, 'jobs');
    const detail = panel.getByTestId('mlops-job-detail');
    await detail.getByTestId('mlops-run-now').click();
    const run = detail.getByTestId('mlops-job-run-detail');
    const layers = await waitForList(run, 'mlops-dag-layer', 4);
    await expect(layers.nth(0)).toContainText('extract');
    await expect(layers.nth(3)).toContainText('report');
    await expect(run.getByTestId('mlops-job-status').first()).toHaveText(
      'succeeded',
      { timeout: 240000 }
    );
    await expect(
      run.locator('[data-testid=mlops-dag-step][data-status=succeeded]')
    ).toHaveCount(4);
    await expect(
      panel
        .getByTestId('mlops-job')
        .filter({ hasText: 'nightly-pipeline' })
        .getByTestId('mlops-job-status')
    ).toHaveText('succeeded');
    await expect(
      run
        .locator('[data-testid=mlops-dag-step][data-step=train]')
        .getByTestId('mlops-step-outputs')
    ).toHaveText('score = 0.5');
    await run
      .locator('[data-testid=mlops-dag-step][data-step=train]')
      .getByTestId('mlops-step-log')
      .click();
    await expect(run.getByTestId('mlops-job-log')).toContainText('train');
    await panel.screenshot({ path: `${SHOTS}/jobs-dag.png` });
    await inDarkTheme(page, async () => {
      await panel.screenshot({ path: `${SHOTS}/jobs-dag-dark.png` });
    });
  });
});
