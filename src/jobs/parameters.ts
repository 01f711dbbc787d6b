/**
 * The typed inputs of a notebook's parameters in the promote dialog: what each input
 * starts with (the cell's default) and how its text becomes a JSON value of the
 * parameter's type, or a message saying what is wrong.
 */
import { NotebookParameter, ParameterType } from '../api/client';

/** How a parameter is edited. */
export type InputKind = 'number' | 'checkbox' | 'text' | 'json';

export function inputKind(type: ParameterType): InputKind {
  switch (type) {
    case 'int':
    case 'float':
      return 'number';
    case 'bool':
      return 'checkbox';
    case 'str':
      return 'text';
    default:
      return 'json';
  }
}

/** The text an input starts with: the cell's default, as the input edits it. */
export function initialText(param: NotebookParameter): string {
  const value = param.default;
  switch (param.type) {
    case 'bool':
      return value ? 'true' : 'false';
    case 'str':
      return typeof value === 'string' ? value : '';
    case 'int':
    case 'float':
      return typeof value === 'number' ? String(value) : '';
    case 'any':
      return ''; // not a JSON literal: left empty keeps the notebook's own expression
    default:
      return value === undefined ? '' : JSON.stringify(value);
  }
}

export type Parsed =
  { ok: true; value: unknown } | { ok: false; error: string };

const INT = /^[-+]?\d+$/;

/** Read an input's text as a value of `type`. */
export function parseInput(type: ParameterType, text: string): Parsed {
  const trimmed = text.trim();
  switch (type) {
    case 'int':
      return INT.test(trimmed)
        ? { ok: true, value: Number(trimmed) }
        : { ok: false, error: 'a whole number' };
    case 'float': {
      const value = Number(trimmed);
      return trimmed !== '' && Number.isFinite(value)
        ? { ok: true, value }
        : { ok: false, error: 'a number' };
    }
    case 'bool':
      return { ok: true, value: trimmed === 'true' };
    case 'str':
      return { ok: true, value: text };
    default:
      return parseJson(type, trimmed);
  }
}

function parseJson(type: ParameterType, text: string): Parsed {
  if (text === '' && (type === 'None' || type === 'any')) {
    return { ok: true, value: null };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'JSON (e.g. [1, 2] or {"a": 1})' };
  }
  if (type === 'list' && !Array.isArray(value)) {
    return { ok: false, error: 'a JSON list, e.g. [1, 2]' };
  }
  if (
    type === 'dict' &&
    (value === null || typeof value !== 'object' || Array.isArray(value))
  ) {
    return { ok: false, error: 'a JSON object, e.g. {"a": 1}' };
  }
  return { ok: true, value };
}

export interface IParameterValues {
  /** The values that differ from the notebook's defaults (what the job stores). */
  values: Record<string, unknown>;
  /** Parameter name → what its input must hold. */
  errors: Record<string, string>;
}

/**
 * The parameters a job is promoted with: each input read by its type; only values that
 * differ from the cell's default are kept, so the others follow the notebook.
 */
export function collectParameters(
  params: NotebookParameter[],
  texts: Record<string, string>
): IParameterValues {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const param of params) {
    const text = texts[param.name] ?? initialText(param);
    if (param.type === 'any' && text.trim() === '') {
      continue;
    }
    const parsed = parseInput(param.type, text);
    if (!parsed.ok) {
      errors[param.name] = `${param.name} must be ${parsed.error}`;
    } else if (
      JSON.stringify(parsed.value) !== JSON.stringify(param.default ?? null)
    ) {
      values[param.name] = parsed.value;
    }
  }
  return { values, errors };
}
