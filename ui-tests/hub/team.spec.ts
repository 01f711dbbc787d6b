/**
 * Team mode on a real JupyterHub: three people, each signed in on the Hub in a browser
 * of their own, each in their own Jupyter server, one mlops service. Alice requests a
 * review of `cancer` v1 from the Reviews panel of her server; carol, who is no reviewer,
 * is refused by the service; bob finds the review waiting in his server and approves; the
 * alias moves, and alice sees bob's approval. Who acts is the Hub's answer each time.
 */
import { expect, test } from '@jupyterlab/galata';
import { Browser, BrowserContext, Page } from '@playwright/test';

import { execute, openPanel, pickTab, SHOTS } from '../helpers/mlops';
import { approveReview, reviewIdOf, reviewPage } from '../helpers/reviewFlow';

const HUB = 'http://127.0.0.1:8890';
const contexts: BrowserContext[] = [];

/** `user` signed in on the Hub's login page, in Lab on their own (started) server. */
async function signIn(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 }
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${HUB}/hub/login`);
  await page.locator('#username_input').fill(user);
  await page.locator('#password_input').fill('any password');
  await page.locator('#login_submit').click();
  await page.waitForURL(`**/user/${user}/lab**`, { timeout: 180000 });
  await labReady(page);
  return page;
}

/** Wait until Lab has started and restored its layout (every command registered). */
async function labReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => typeof (window as any).jupyterapp === 'object',
    null,
    { timeout: 120000 }
  );
  await page.evaluate(() => (window as any).jupyterapp.restored);
  await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
}

/** A POST to the mlops API through `user`'s own server, as the panels send it. */
async function postAs(
  page: Page,
  user: string,
  path: string,
  data: unknown
): Promise<{ status: number; body: any }> {
  const cookies = await page.context().cookies();
  const xsrf = cookies.find(c => c.name === '_xsrf')?.value ?? '';
  const answer = await page.request.post(
    `${HUB}/user/${user}/mlops/api/${path}`,
    { data, headers: { 'X-XSRFToken': xsrf } }
  );
  return { status: answer.status(), body: await answer.json() };
}

async function setTheme(page: Page, theme: string): Promise<void> {
  await execute(page, 'apputils:change-theme', { theme });
  await expect(page.locator('body')).toHaveAttribute(
    'data-jp-theme-name',
    theme
  );
  // Lab shows its splash while the new theme's styles load
  await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
}

test.use({ viewport: { width: 1400, height: 900 }, mockUser: false });

test.describe('Team mode on JupyterHub', () => {
  test.afterEach(async () => {
    await Promise.all(contexts.splice(0).map(context => context.close()));
  });

  test('alice requests, carol is refused, bob approves, alice sees it', async ({
    browser
  }) => {
    test.setTimeout(600000);

    // Alice, in her own server, asks for a review of cancer v1 from the Models tab.
    const alice = await signIn(browser, 'alice');
    const panel = await openPanel(alice, 'reviews');
    await pickTab(panel, 'models');
    const model = panel
      .getByTestId('mlops-model')
      .filter({ hasText: 'cancer' });
    await model.getByTestId('mlops-model-request-review').first().click();
    const dialog = alice.locator('.jp-Dialog');
    await dialog
      .getByTestId('mlops-request-review-title')
      .fill('Team review of cancer v1');
    await dialog.getByTestId('mlops-request-review-submit').click();
    await expect(alice.locator('.jp-Dialog')).toHaveCount(0);
    const review = reviewPage(alice);
    await expect(review.getByTestId('mlops-review-header')).toContainText(
      'cancer v1'
    );
    await expect(review.getByTestId('mlops-review-why')).toContainText(
      'You requested this review'
    );
    const reviewId = await reviewIdOf(review);
    await alice.screenshot({ path: `${SHOTS}/team-alice-requested.png` });

    // Alice cannot approve her own model, even by naming bob in the request.
    const forged = await postAs(
      alice,
      'alice',
      `reviews/${reviewId}/decisions`,
      {
        decision: 'approve',
        by: 'bob'
      }
    );
    expect(forged.status).toBe(400);
    const own = await postAs(alice, 'alice', `reviews/${reviewId}/decisions`, {
      decision: 'approve'
    });
    expect(own.status).toBe(403);

    // Carol is no reviewer: her page says so, and the service refuses her.
    const carol = await signIn(browser, 'carol');
    await execute(carol, 'mlops:open-review', { id: reviewId });
    await expect(
      reviewPage(carol).getByTestId('mlops-review-why')
    ).toContainText('Only bob may decide');
    const refused = await postAs(
      carol,
      'carol',
      `reviews/${reviewId}/decisions`,
      {
        decision: 'approve'
      }
    );
    expect(refused.status).toBe(403);
    expect(refused.body.reason).toBe('Forbidden');
    await carol.screenshot({ path: `${SHOTS}/team-carol-refused.png` });

    // Bob finds it waiting for him in his own server and approves.
    const bob = await signIn(browser, 'bob');
    const bobPanel = await openPanel(bob, 'reviews');
    const waiting = bobPanel
      .getByTestId('mlops-review')
      .filter({ hasText: 'cancer v1' });
    await expect(waiting).toContainText('Team review of cancer v1');
    await setTheme(bob, 'JupyterLab Dark');
    await bob.screenshot({ path: `${SHOTS}/team-bob-waiting-dark.png` });
    await setTheme(bob, 'JupyterLab Light');
    await waiting.click();
    const bobReview = reviewPage(bob);
    await approveReview(bobReview, 'Approved on the Hub.', 1);
    await bob.screenshot({ path: `${SHOTS}/team-bob-approved.png` });

    // Alice sees bob's approval and the alias moved, in her own server.
    await alice.reload();
    await labReady(alice);
    await execute(alice, 'mlops:open-review', { id: reviewId });
    const seen = reviewPage(alice);
    await expect(
      seen.getByTestId('mlops-review-status').first()
    ).toHaveAttribute('data-status', 'approved');
    await expect(seen.getByTestId('mlops-review-alias')).toContainText(
      'moved to v1'
    );
    await setTheme(alice, 'JupyterLab Dark');
    await alice.screenshot({
      path: `${SHOTS}/team-alice-sees-approval-dark.png`
    });
    await setTheme(alice, 'JupyterLab Light');
  });
});
