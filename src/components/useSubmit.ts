/**
 * The busy and error state of a form's submit (an action dialog, a comment box): `submit`
 * clears the last message, runs the action with the form busy, and shows what refused
 * it: the server's message, or the text the action returns when it refuses before
 * asking the server (a field that does not parse).
 */
import { useState } from 'react';

import { errorMessage } from '../api/request';

export interface ISubmit {
  busy: boolean;
  error: string | null;
  /** Show or clear a message from outside the action (a failed load, an edit). */
  setError: (error: string | null) => void;
  submit: () => Promise<void>;
}

/** What a submit runs: a refusal's text, or nothing when it went through. */
export type SubmitAction = () => Promise<string | void> | string | void;

export function useSubmit(action: SubmitAction): ISubmit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const refusal = await action();
      if (refusal) {
        setError(refusal);
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, submit };
}
