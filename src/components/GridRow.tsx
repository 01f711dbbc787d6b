/**
 * A label and its control, one row of a form's `.jp-mlops-form-grid` (the definition
 * forms, the serving forms).
 */
import React from 'react';

/** Without `id` the label names a group of controls (checkboxes). */
export function GridRow(props: {
  id?: string;
  label: React.ReactNode;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <>
      {props.id ? (
        <label htmlFor={props.id}>{props.label}</label>
      ) : (
        <span>{props.label}</span>
      )}
      <div className="jp-mlops-definition-control">{props.children}</div>
    </>
  );
}
