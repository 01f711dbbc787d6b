import React from 'react';

/** A visible, dismissable-by-fixing error message (never a raw traceback). */
export function ErrorBox(props: {
  message: string | null;
}): JSX.Element | null {
  if (!props.message) {
    return null;
  }
  return (
    <div className="jp-mlops-error" role="alert" data-testid="mlops-error">
      {props.message}
    </div>
  );
}
