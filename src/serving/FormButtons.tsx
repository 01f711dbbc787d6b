/**
 * The end of a Serving panel form: the server's refusal, the submit button (busy while its
 * action waits for the endpoint to answer) and Cancel, which closes the form.
 */
import React from 'react';

import { DialogSubmit } from '../components/DialogSubmit';
import { ISubmit } from '../components/useSubmit';

export function FormButtons(props: {
  submit: ISubmit;
  label: string;
  busyLabel: string;
  disabled: boolean;
  /** ``mlops-NAME-submit`` and ``mlops-NAME-cancel`` are the buttons' test ids. */
  testName: string;
  onCancel: () => void;
}): JSX.Element {
  return (
    <div className="jp-mlops-serving-form-buttons">
      <DialogSubmit
        submit={props.submit}
        label={props.label}
        busyLabel={props.busyLabel}
        disabled={props.disabled}
        testId={`mlops-${props.testName}-submit`}
      />
      <button
        className="jp-mlops-button"
        data-testid={`mlops-${props.testName}-cancel`}
        disabled={props.submit.busy}
        onClick={props.onCancel}
      >
        Cancel
      </button>
    </div>
  );
}
