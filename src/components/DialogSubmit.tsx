/**
 * The end of an action dialog's body: the server's message when the action was refused,
 * then the button that runs the action (disabled while it runs or cannot run).
 */
import React from 'react';

import { ErrorBox } from './ErrorBox';

export function DialogSubmit(props: {
  error: string | null;
  label: React.ReactNode;
  /** Shown while the action runs (the label when absent). */
  busyLabel?: string;
  busy: boolean;
  disabled?: boolean;
  testId: string;
  onSubmit: () => void | Promise<unknown>;
}): JSX.Element {
  return (
    <>
      <ErrorBox message={props.error} />
      <button
        className="jp-mlops-button jp-mod-accept"
        data-testid={props.testId}
        disabled={props.busy || props.disabled}
        onClick={() => void props.onSubmit()}
      >
        {props.busy && props.busyLabel ? props.busyLabel : props.label}
      </button>
    </>
  );
}
