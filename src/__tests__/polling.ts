/**
 * What every panel model's poll must do, checked the same way for each model.
 */
import { PollingModel } from '../components/PollingModel';

const tick = () => new Promise(resolve => setTimeout(resolve, 0));

/** Expect `model` to poll only between start() and stop(). */
export async function expectPollsOnlyWhileStarted(
  model: PollingModel
): Promise<void> {
  expect(model.polling).toBe(false);
  model.start();
  await tick();
  expect(model.polling).toBe(true);
  model.stop();
  await tick();
  expect(model.polling).toBe(false);
}
