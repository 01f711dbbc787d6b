/**
 * A review requested in the default set-up, as a new user of `make lab` meets it: one
 * person, jupyter-server's own identity provider, no named users. Lab calls the browser
 * "Anonymous …"; the mlops server acts as the server's owner (the name its kernels
 * record), so the request goes through, is recorded under the owner as signed in, and
 * the page knows the owner requested it.
 */
import { expect, test } from '@jupyterlab/galata';

import { pickTab, SHOTS } from '../helpers/mlops';
import { requestReview, trainFirstModel } from '../helpers/reviewFlow';

test.use({ viewport: { width: 1400, height: 900 }, mockUser: false });

test('a review is requested from the notebook in the default set-up', async ({
  page,
  baseURL
}) => {
  test.setTimeout(300000);
  const info = await (
    await page.request.get(`${baseURL}/mlops/api/info`)
  ).json();
  const owner: string = info.user.username;
  expect(info.user.source).toBe('authenticated');
  const me = await (await page.request.get(`${baseURL}/api/me`)).json();
  expect(me.identity.username).not.toBe(owner); // Lab's own: a random anonymous id

  await trainFirstModel(page);
  const review = await requestReview(page, 1, 'First model, default set-up');

  await expect(review.getByTestId('mlops-review-header')).toContainText(owner);
  await expect(review.getByTestId('mlops-review-why')).toContainText(
    'You requested this review'
  );
  await pickTab(review, 'audit');
  const request = review
    .getByTestId('mlops-review-event')
    .filter({ hasText: owner });
  await expect(request.getByTestId('mlops-actor-source')).toHaveText(
    'signed in'
  );
  await page.screenshot({ path: `${SHOTS}/reviews-default-setup.png` });
  await page.theme.setDarkTheme();
  await page.screenshot({ path: `${SHOTS}/reviews-default-setup-dark.png` });
  await page.theme.setLightTheme();
});
