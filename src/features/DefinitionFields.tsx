/**
 * Fields shared by the definition forms: a labelled row of the form's grid, the name (fixed
 * when editing: a new version of the same definition), description and owner, and the
 * typed rows of join keys or features (a name, one of Feast's types, ×, + Add).
 */
import React, { useState } from 'react';

import { FeatureCatalog, FeatureType } from '../api/client';
import { DialogSubmit } from '../components/DialogSubmit';
import { GridRow } from '../components/GridRow';
import { ISubmit, useSubmit } from '../components/useSubmit';
import { fieldRow, IFieldRow } from './definitionForms';
import { FEAST_TYPES } from './feastTypes';
import { Definition } from './model';

export { GridRow };

/** What a definition form is given: the catalog, what it edits, how to save. */
export interface IDefinitionFormProps<T extends Definition, S> {
  catalog: FeatureCatalog;
  /** The definition to edit (saving makes a new version); null: a new one. */
  initial: T | null;
  /** Save the spec; the server's refusal is thrown. */
  save: (spec: S) => Promise<Definition>;
  /** Close the dialog with what was saved. */
  done: (saved: Definition) => void;
}

/**
 * The form's submit: the spec its state builds, or what the form still lacks; saved, the
 * dialog closes, refused, the server's message shows under the form, which keeps its state.
 */
export function useDefinitionSubmit<T extends Definition, S>(
  props: IDefinitionFormProps<T, S>,
  build: () => S | string
): ISubmit {
  return useSubmit(async () => {
    const spec = build();
    if (typeof spec === 'string') {
      return spec;
    }
    props.done(await props.save(spec));
  });
}

/** A definition form's state and submit, as every form keeps them. */
export interface IDefinitionForm<F> {
  /** Editing a definition (saving makes its next version), not defining a new one. */
  editing: boolean;
  form: F;
  setForm: React.Dispatch<React.SetStateAction<F>>;
  /** Patch the form: functional updates, so two quick edits (typed, or filled by a test)
   * never drop one. */
  set: (patch: Partial<F>) => void;
  submit: ISubmit;
}

/**
 * A form's state, prefilled from the definition it edits (`formOf`) or `fresh`, and its
 * submit of the spec `build` makes of it (see `useDefinitionSubmit`).
 */
export function useDefinitionForm<T extends Definition, S, F>(
  props: IDefinitionFormProps<T, S>,
  formOf: (initial: T) => F,
  fresh: () => F,
  build: (form: F) => S | string
): IDefinitionForm<F> {
  const [form, setForm] = useState<F>(() =>
    props.initial ? formOf(props.initial) : fresh()
  );
  const submit = useDefinitionSubmit(props, () => build(form));
  const set = (patch: Partial<F>) =>
    setForm(current => ({ ...current, ...patch }));
  return { editing: props.initial !== null, form, setForm, set, submit };
}

/** The server's message, then Define (new) or Save as a new version (edit). */
export function SaveButton(props: {
  what: string;
  editing: boolean;
  submit: ISubmit;
}): JSX.Element {
  return (
    <DialogSubmit
      label={props.editing ? 'Save as new version' : `Define ${props.what}`}
      busyLabel="Saving…"
      testId="mlops-definition-save"
      submit={props.submit}
    />
  );
}

export function NameRow(props: {
  what: string;
  name: string;
  editing: boolean;
  onChange: (name: string) => void;
}): JSX.Element {
  return (
    <GridRow id="mlops-definition-name" label="Name">
      <input
        id="mlops-definition-name"
        data-testid="mlops-definition-name"
        className="jp-mlops-filter"
        value={props.name}
        readOnly={props.editing}
        title={
          props.editing
            ? `Saving makes a new version of this ${props.what}`
            : undefined
        }
        placeholder={`e.g. ${props.what === 'entity' ? 'driver' : props.what === 'view' ? 'driver_stats' : 'trip_duration'}`}
        maxLength={63}
        onChange={e => props.onChange(e.target.value)}
      />
    </GridRow>
  );
}

/** Description and owner, the last rows of every form's grid. */
export function DescribedRows(props: {
  description: string;
  owner: string;
  onChange: (patch: { description?: string; owner?: string }) => void;
}): JSX.Element {
  return (
    <>
      <GridRow id="mlops-definition-description" label="Description">
        <input
          id="mlops-definition-description"
          data-testid="mlops-definition-description"
          className="jp-mlops-filter"
          maxLength={2000}
          value={props.description}
          placeholder="optional"
          onChange={e => props.onChange({ description: e.target.value })}
        />
      </GridRow>
      <GridRow id="mlops-definition-owner" label="Owner">
        <input
          id="mlops-definition-owner"
          data-testid="mlops-definition-owner"
          className="jp-mlops-filter"
          maxLength={200}
          value={props.owner}
          placeholder="optional: a team or a person"
          onChange={e => props.onChange({ owner: e.target.value })}
        />
      </GridRow>
    </>
  );
}

export function TypeSelect(props: {
  value: FeatureType;
  label: string;
  testId: string;
  onChange: (dtype: FeatureType) => void;
}): JSX.Element {
  return (
    <select
      data-testid={props.testId}
      aria-label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value as FeatureType)}
    >
      {FEAST_TYPES.map(t => (
        <option key={t} value={t}>
          {t}
        </option>
      ))}
    </select>
  );
}

/**
 * Typed columns: one row each (a name, a Feast type, ×) and a button adding a row.
 * `columns`: names to suggest while typing (a dataset's columns).
 */
export function FieldRows(props: {
  rows: IFieldRow[];
  what: string;
  columns?: string[];
  onChange: (rows: IFieldRow[]) => void;
}): JSX.Element {
  const { rows, what } = props;
  const listId = props.columns ? `mlops-field-columns-${what}` : undefined;
  const update = (i: number, patch: Partial<IFieldRow>) =>
    props.onChange(
      rows.map((row, r) => (r === i ? { ...row, ...patch } : row))
    );
  return (
    <div className="jp-mlops-field-rows" data-testid={`mlops-${what}-rows`}>
      {rows.map((row, i) => (
        <div
          key={i}
          className="jp-mlops-field-row"
          data-testid="mlops-field-row"
        >
          <input
            className="jp-mlops-filter"
            data-testid="mlops-field-name"
            aria-label={`${what} name`}
            placeholder={`${what} name`}
            list={listId}
            maxLength={128}
            value={row.name}
            onChange={e => update(i, { name: e.target.value })}
          />
          <TypeSelect
            value={row.dtype}
            label={`type of ${row.name || what}`}
            testId="mlops-field-type"
            onChange={dtype => update(i, { dtype })}
          />
          <button
            className="jp-mlops-icon-button"
            data-testid="mlops-field-remove"
            title={`Remove ${row.name || `this ${what}`}`}
            aria-label={`Remove ${row.name || `this ${what}`}`}
            onClick={() => props.onChange(rows.filter((_, r) => r !== i))}
          >
            ×
          </button>
        </div>
      ))}
      {listId && (
        <datalist id={listId}>
          {props.columns?.map(c => (
            <option key={c} value={c} />
          ))}
        </datalist>
      )}
      <button
        className="jp-mlops-button"
        data-testid="mlops-field-add"
        onClick={() => props.onChange([...rows, fieldRow()])}
      >
        + Add {what}
      </button>
    </div>
  );
}
