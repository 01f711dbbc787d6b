/**
 * A panel's last message: the server's error for a failed request, or the confirmation
 * of the last action; and a panel's body before its first answer.
 */
import React from 'react';

import { ErrorBox } from './ErrorBox';

export function Messages(props: {
  error: string | null;
  notice: string | null;
}): JSX.Element {
  return (
    <>
      <ErrorBox message={props.error} />
      {props.notice && (
        <div
          className="jp-mlops-notice"
          role="status"
          data-testid="mlops-notice"
        >
          {props.notice}
        </div>
      )}
    </>
  );
}

/** A panel's body until its first answer: "Loading…", or why it failed. */
export function PanelLoading(props: { error: string | null }): JSX.Element {
  return (
    <div className="jp-mlops-panel-body">
      <ErrorBox message={props.error} />
      {!props.error && <p className="jp-mlops-empty">Loading…</p>}
    </div>
  );
}
