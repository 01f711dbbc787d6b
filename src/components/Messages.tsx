/**
 * A panel's last message: the server's error for a failed request, or the confirmation
 * of the last action.
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
