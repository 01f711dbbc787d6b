/**
 * The one submit state of the forms: busy while the action runs, the server's message
 * or the action's own refusal as the error, cleared by the next submit.
 */
import React, { act } from 'react';
import { createRoot } from 'react-dom/client';

import { ApiError, errorMessage } from '../api/request';
import { ISubmit, SubmitAction, useSubmit } from '../components/useSubmit';

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

/** Render a component holding the hook; `current()` is its state after the last render. */
function mount(action: SubmitAction): () => ISubmit {
  let state: ISubmit | null = null;
  function Form(): JSX.Element {
    state = useSubmit(action);
    return <div />;
  }
  act(() => createRoot(document.createElement('div')).render(<Form />));
  return () => state as ISubmit;
}

describe('errorMessage', () => {
  it("is the server's message of an ApiError, else the error as text", () => {
    expect(errorMessage(new ApiError(409, 'someone promoted first'))).toBe(
      'someone promoted first'
    );
    expect(errorMessage(new TypeError('boom'))).toBe('TypeError: boom');
    expect(errorMessage('offline')).toBe('offline');
  });
});

describe('useSubmit', () => {
  it('is busy while the action runs and clear when it goes through', async () => {
    let finish: () => void = () => undefined;
    const current = mount(
      () => new Promise<void>(resolve => (finish = resolve))
    );
    let submitted: Promise<void> = Promise.resolve();
    act(() => {
      submitted = current().submit();
    });
    expect(current().busy).toBe(true);
    await act(async () => {
      finish();
      await submitted;
    });
    expect(current().busy).toBe(false);
    expect(current().error).toBeNull();
  });

  it("shows the server's message, then clears it on the next submit", async () => {
    let refuse = true;
    const current = mount(async () => {
      if (refuse) {
        throw new ApiError(400, 'bad cron: 0 61 * * *');
      }
    });
    await act(() => current().submit());
    expect(current().error).toBe('bad cron: 0 61 * * *');
    expect(current().busy).toBe(false);
    refuse = false;
    await act(() => current().submit());
    expect(current().error).toBeNull();
  });

  it('shows the text an action returns when it refuses before asking', async () => {
    const current = mount(() => 'Some parameters are not of their type.');
    await act(() => current().submit());
    expect(current().error).toBe('Some parameters are not of their type.');
    act(() => current().setError(null));
    expect(current().error).toBeNull();
  });
});
