/**
 * The dataset's checks: the list being edited (remove with ×), a form to add a check of
 * any kind, and "Save and run" which stores them and shows the latest version's report.
 */
import React, { useState } from 'react';

import { Check, CheckReport, ColumnStats } from '../api/client';
import { useSubmit } from '../components/useSubmit';
import {
  buildCheck,
  CHECK_KINDS,
  describeCheck,
  EMPTY_DRAFT,
  ICheckDraft,
  kindInfo
} from './checks';
import { CheckReportView } from './CheckReportView';

export interface IChecksEditorProps {
  checks: Check[];
  dirty: boolean;
  columns: ColumnStats[];
  latest: string | null;
  report: CheckReport | null;
  onAdd: (check: Check) => void;
  onRemove: (index: number) => void;
  onSave: () => void;
}

function AddCheckForm(props: {
  columns: ColumnStats[];
  onAdd: (check: Check) => void;
}): JSX.Element {
  const [draft, setDraft] = useState<ICheckDraft>(EMPTY_DRAFT);
  const dtypes = Object.fromEntries(props.columns.map(c => [c.name, c.dtype]));
  // A check is built in the panel: what refuses it is the draft's problem, not the server.
  const {
    error: problem,
    setError: setProblem,
    submit: add
  } = useSubmit(() => {
    const check = buildCheck(draft, dtypes);
    if (typeof check === 'string') {
      return check;
    }
    props.onAdd(check);
    setDraft({ ...EMPTY_DRAFT, kind: draft.kind, column: draft.column });
  });
  const info = kindInfo(draft.kind);
  const set = (fields: Partial<ICheckDraft>) => {
    setDraft(current => ({ ...current, ...fields }));
    setProblem(null);
  };
  return (
    <div className="jp-mlops-form" data-testid="mlops-check-form">
      <div className="jp-mlops-form-title">Add a check</div>
      <label className="jp-mlops-field">
        kind
        <select
          data-testid="mlops-check-kind"
          value={draft.kind}
          onChange={e => set({ kind: e.target.value as ICheckDraft['kind'] })}
        >
          {CHECK_KINDS.map(k => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      {info.column && (
        <label className="jp-mlops-field">
          column
          <select
            data-testid="mlops-check-column"
            value={draft.column}
            onChange={e => set({ column: e.target.value })}
          >
            <option value="">choose…</option>
            {props.columns.map(c => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {info.bounds &&
        (['min', 'max'] as const).map(b => (
          <label key={b} className="jp-mlops-field">
            {b}
            <input
              className="jp-mlops-filter jp-mlops-number-input"
              data-testid={`mlops-check-${b}`}
              inputMode="decimal"
              value={draft[b]}
              onChange={e => set({ [b]: e.target.value })}
            />
          </label>
        ))}
      {info.values && (
        <label className="jp-mlops-field jp-mlops-field-wide">
          values
          <input
            className="jp-mlops-filter"
            data-testid="mlops-check-values"
            placeholder="comma-separated, e.g. red, white"
            value={draft.values}
            onChange={e => set({ values: e.target.value })}
          />
        </label>
      )}
      <button
        className="jp-mlops-button"
        data-testid="mlops-check-add"
        onClick={() => void add()}
      >
        + Add check
      </button>
      {problem && (
        <div className="jp-mlops-form-problem" role="alert">
          {problem}
        </div>
      )}
    </div>
  );
}

export function ChecksEditor(props: IChecksEditorProps): JSX.Element {
  return (
    <div className="jp-mlops-checks" data-testid="mlops-checks-editor">
      {props.checks.length === 0 ? (
        <p className="jp-mlops-empty" data-testid="mlops-no-checks">
          No checks yet. Add one below: checks run on every save, and a version
          that fails one is kept but flagged.
        </p>
      ) : (
        <ul className="jp-mlops-check-list">
          {props.checks.map((check, i) => (
            <li key={i} data-testid="mlops-check">
              <span>{describeCheck(check)}</span>
              <button
                className="jp-mlops-icon-button"
                data-testid="mlops-check-remove"
                title="Remove this check"
                aria-label={`Remove check ${describeCheck(check)}`}
                onClick={() => props.onRemove(i)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <AddCheckForm columns={props.columns} onAdd={props.onAdd} />
      <button
        className="jp-mlops-button jp-mod-accept"
        data-testid="mlops-checks-save"
        onClick={props.onSave}
      >
        {props.dirty ? 'Save checks and run' : 'Run checks'}
        {props.latest ? ` on ${props.latest}` : ''}
      </button>
      {props.report && <CheckReportView report={props.report} empty={null} />}
    </div>
  );
}
