/**
 * The end of an action dialog's body: the server's message when the action was refused,
 * then the button that runs the action (disabled while it runs or cannot run).
 */
import React from 'react';

import { ErrorBox } from './ErrorBox';
import { ISubmit } from './useSubmit';

export function DialogSubmit(props: {
  /** The dialog's submit: its action, whether it runs, what refused it. */
  submit: ISubmit;
  label: React.ReactNode;
  /** Shown while the action runs (the label when absent). */
  busyLabel?: string;
  disabled?: boolean;
  testId: string;
}): JSX.Element {
  const { busy, error, submit } = props.submit;
  return (
    <>
      <ErrorBox message={error} />
      <button
        className="jp-mlops-button jp-mod-accept"
        data-testid={props.testId}
        disabled={busy || props.disabled}
        onClick={() => void submit()}
      >
        {busy && props.busyLabel ? props.busyLabel : props.label}
      </button>
    </>
  );
}
