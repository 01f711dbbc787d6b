/**
 * The page object of the mlops extension in Lab, shared by every spec: write a notebook,
 * run a Lab command, find a side panel, open it with its command (or as an empty
 * workspace shows it), pick a tab of a panel or a page, and wait for a list to show its
 * items.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator, Page } from '@playwright/test';

/** Where the specs save what a person would look at. */
export const SHOTS = 'screenshots';

/** The command that opens each side panel (whose id is `jp-mlops-NAME`). */
const PANELS = {
  experiments: 'mlops:open-experiments',
  datasets: 'mlops:open-datasets',
  features: 'mlops:open-features',
  monitoring: 'mlops:open-monitoring',
  jobs: 'mlops:open-jobs',
  reviews: 'mlops:open-reviews',
  serving: 'mlops:open-serving'
};

export type PanelName = keyof typeof PANELS;

type AnyPage = Page | IJupyterLabPageFixture;

/** The first cell of a notebook that uses the extension. */
export const LOAD_EXT =
  '%load_ext jupyter_mlops\nimport jupyter_mlops as mlops';

/** A new notebook `name` of code `cells`, not run yet. */
export async function writeNotebook(
  page: IJupyterLabPageFixture,
  name: string,
  cells: string[]
): Promise<void> {
  await page.notebook.createNew(name);
  await page.notebook.setCell(0, 'code', cells[0]);
  for (const cell of cells.slice(1)) {
    await page.notebook.addCell('code', cell);
  }
}

/** Run one of Lab's commands. */
export async function execute(
  page: AnyPage,
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

/** A side panel, wherever it was opened from (a command, a dialog, a link). */
export function panelOf(page: AnyPage, name: PanelName): Locator {
  return page.locator(`#jp-mlops-${name}`);
}

/** Open a side panel with its command and wait until it shows. */
export async function openPanel(
  page: AnyPage,
  name: PanelName
): Promise<Locator> {
  await execute(page, PANELS[name]);
  const panel = panelOf(page, name);
  await expect(panel).toBeVisible();
  return panel;
}

/**
 * Open a side panel as an empty workspace shows it. One server serves the whole run and
 * other specs may have made things already: each route of `answers` (`datasets`,
 * `alerts`…, under the API) is answered with its empty body instead.
 */
export async function openEmptyPanel(
  page: IJupyterLabPageFixture,
  name: PanelName,
  answers: Record<string, unknown>
): Promise<Locator> {
  for (const [route, json] of Object.entries(answers)) {
    await page.route(new RegExp(`/mlops/api/${route}(\\?|$)`), request =>
      request.fulfill({ json })
    );
  }
  return openPanel(page, name);
}

/** Pick the tab `key` of a panel, a selected item or a review page. */
export async function pickTab(scope: Locator, key: string): Promise<void> {
  await scope.getByTestId(`mlops-tab-${key}`).click();
}

/**
 * Wait until `scope` shows `count` items of test id `testId` (a list polled or drawn
 * after a request); the items.
 */
export async function waitForList(
  scope: Locator | AnyPage,
  testId: string,
  count: number,
  timeout?: number
): Promise<Locator> {
  const items = scope.getByTestId(testId);
  await expect(items).toHaveCount(count, { timeout });
  return items;
}
