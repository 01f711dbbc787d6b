/**
 * A text box for a comment, a reply, an edit or a decision's note, with its submit and
 * cancel buttons. The text is sent as written; it is always shown back as text.
 */
import React, { useState } from 'react';

import { ErrorBox } from '../components/ErrorBox';
import { useSubmit } from '../components/useSubmit';

export function CommentForm(props: {
  label: string;
  submitLabel: string;
  initial?: string;
  /** Resolves true when the server took it (the box then clears or closes). */
  onSubmit: (text: string) => Promise<boolean>;
  onCancel?: () => void;
  required?: boolean;
  testId?: string;
}): JSX.Element {
  const [text, setText] = useState(props.initial ?? '');
  const required = props.required ?? true;
  const { busy, error, submit } = useSubmit(async () => {
    if (await props.onSubmit(text)) {
      setText('');
    }
  });
  return (
    <div className="jp-mlops-comment-form" data-testid={props.testId}>
      <textarea
        aria-label={props.label}
        placeholder={props.label}
        data-testid="mlops-comment-text"
        value={text}
        rows={3}
        onChange={e => setText(e.target.value)}
      />
      <ErrorBox message={error} />
      <div className="jp-mlops-comment-form-buttons">
        {props.onCancel && (
          <button className="jp-mlops-button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        <button
          className="jp-mlops-button jp-mod-accept"
          data-testid="mlops-comment-submit"
          disabled={busy || (required && text.trim() === '')}
          onClick={() => void submit()}
        >
          {props.submitLabel}
        </button>
      </div>
    </div>
  );
}
