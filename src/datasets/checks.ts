/**
 * Data checks as the panel edits them: which fields each kind takes, how a person reads a
 * check, and building a check from the editor's text fields. The server validates again.
 */
import { Check, CheckKind } from '../api/client';

export interface ICheckKindInfo {
  kind: CheckKind;
  label: string;
  /** Takes a column. */
  column: boolean;
  /** Takes min and/or max. */
  bounds: boolean;
  /** Takes a list of allowed values. */
  values: boolean;
}

export const CHECK_KINDS: ICheckKindInfo[] = [
  {
    kind: 'not_null',
    label: 'no nulls',
    column: true,
    bounds: false,
    values: false
  },
  {
    kind: 'unique',
    label: 'unique',
    column: true,
    bounds: false,
    values: false
  },
  {
    kind: 'in_range',
    label: 'in range',
    column: true,
    bounds: true,
    values: false
  },
  {
    kind: 'allowed_values',
    label: 'allowed values',
    column: true,
    bounds: false,
    values: true
  },
  {
    kind: 'row_count',
    label: 'row count',
    column: false,
    bounds: true,
    values: false
  },
  {
    kind: 'schema_unchanged',
    label: 'schema unchanged',
    column: false,
    bounds: false,
    values: false
  }
];

export function kindInfo(kind: CheckKind): ICheckKindInfo {
  return CHECK_KINDS.find(k => k.kind === kind) ?? CHECK_KINDS[0];
}

/** `≤ 4`, `≥ 2.5` or `in [2.5, 4.5]`, as the server words bounds. */
function bounds(check: Check): string {
  if (check.min === null || check.min === undefined) {
    return `≤ ${check.max}`;
  }
  if (check.max === null || check.max === undefined) {
    return `≥ ${check.min}`;
  }
  return `in [${check.min}, ${check.max}]`;
}

/** How a person says a check: `pH in [2.5, 4.5]` (the server's wording). */
export function describeCheck(check: Check): string {
  switch (check.kind) {
    case 'not_null':
      return `${check.column} has no nulls`;
    case 'unique':
      return `${check.column} is unique`;
    case 'in_range':
      return `${check.column} ${bounds(check)}`;
    case 'allowed_values':
      return `${check.column} in [${(check.values ?? []).join(', ')}]`;
    case 'row_count':
      return `row count ${bounds(check)}`;
    case 'schema_unchanged':
      return 'schema unchanged from the parent version';
  }
}

/** The editor's fields, as typed. */
export interface ICheckDraft {
  kind: CheckKind;
  column: string;
  min: string;
  max: string;
  values: string;
}

export const EMPTY_DRAFT: ICheckDraft = {
  kind: 'not_null',
  column: '',
  min: '',
  max: '',
  values: ''
};

const NUMERIC_DTYPE = /^(u?int|float|Int|UInt|Float)/;

/**
 * Comma-separated allowed values: numbers for a numeric column, true/false for a boolean
 * one, text otherwise (blank entries dropped).
 */
export function parseValues(
  text: string,
  dtype = 'object'
): Array<string | number | boolean> {
  const items = text
    .split(',')
    .map(v => v.trim())
    .filter(v => v !== '');
  if (NUMERIC_DTYPE.test(dtype)) {
    return items.map(v => (isNaN(Number(v)) ? v : Number(v)));
  }
  if (dtype === 'bool' || dtype === 'boolean') {
    return items.map(v =>
      v.toLowerCase() === 'true'
        ? true
        : v.toLowerCase() === 'false'
          ? false
          : v
    );
  }
  return items;
}

function number(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}

/**
 * The check the editor's fields describe, or a message saying what is missing. Fields a
 * kind does not take are sent as null.
 */
export function buildCheck(
  draft: ICheckDraft,
  dtypes: Record<string, string> = {}
): Check | string {
  const info = kindInfo(draft.kind);
  const column = info.column ? draft.column.trim() : '';
  if (info.column && !column) {
    return `a ${info.label} check needs a column`;
  }
  const min = info.bounds ? number(draft.min) : null;
  const max = info.bounds ? number(draft.max) : null;
  if ((min !== null && isNaN(min)) || (max !== null && isNaN(max))) {
    return 'min and max must be numbers';
  }
  if (info.bounds && min === null && max === null) {
    return `a ${info.label} check needs min, max or both`;
  }
  if (min !== null && max !== null && min > max) {
    return `min ${min} is above max ${max}`;
  }
  const values = info.values ? parseValues(draft.values, dtypes[column]) : null;
  if (info.values && values?.length === 0) {
    return 'list the allowed values, separated by commas';
  }
  return { kind: draft.kind, column: column || null, min, max, values };
}
