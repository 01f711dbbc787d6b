/**
 * The promote dialog's typed parameter inputs: what each starts with, how its text is
 * read, and which values a job is promoted with.
 */
import { NotebookParameter } from '../api/client';
import {
  collectParameters,
  initialText,
  inputKind,
  parseInput
} from '../jobs/parameters';

function param(
  name: string,
  type: NotebookParameter['type'],
  value: unknown,
  source = ''
): NotebookParameter {
  return { name, type, default: value, source, help: '' };
}

describe('inputKind', () => {
  it('edits numbers, booleans, strings and JSON each their way', () => {
    expect(inputKind('int')).toBe('number');
    expect(inputKind('float')).toBe('number');
    expect(inputKind('bool')).toBe('checkbox');
    expect(inputKind('str')).toBe('text');
    expect(inputKind('list')).toBe('json');
    expect(inputKind('dict')).toBe('json');
    expect(inputKind('None')).toBe('json');
  });
});

describe('initialText', () => {
  it('starts from the cell default', () => {
    expect(initialText(param('n', 'int', 3))).toBe('3');
    expect(initialText(param('lr', 'float', 0.5))).toBe('0.5');
    expect(initialText(param('on', 'bool', true))).toBe('true');
    expect(initialText(param('s', 'str', 'a "b"\n'))).toBe('a "b"\n');
    expect(initialText(param('l', 'list', [1, 'x']))).toBe('[1,"x"]');
    expect(initialText(param('d', 'dict', { a: 1 }))).toBe('{"a":1}');
    expect(initialText(param('z', 'None', null))).toBe('null');
  });

  it('leaves a default that is not a JSON literal empty', () => {
    expect(initialText(param('t', 'any', null, 'pd.Timestamp("2024")'))).toBe(
      ''
    );
  });
});

describe('parseInput', () => {
  it('reads whole numbers only for int', () => {
    expect(parseInput('int', ' 42 ')).toEqual({ ok: true, value: 42 });
    expect(parseInput('int', '-7')).toEqual({ ok: true, value: -7 });
    expect(parseInput('int', '4.5').ok).toBe(false);
    expect(parseInput('int', '').ok).toBe(false);
    expect(parseInput('int', 'abc').ok).toBe(false);
  });

  it('reads finite numbers for float', () => {
    expect(parseInput('float', '1e-3')).toEqual({ ok: true, value: 0.001 });
    expect(parseInput('float', '3')).toEqual({ ok: true, value: 3 });
    expect(parseInput('float', '').ok).toBe(false);
    expect(parseInput('float', 'Infinity').ok).toBe(false);
  });

  it('keeps strings exactly, quotes and newlines included', () => {
    const text = ' x = "1"\nprint(2) ';
    expect(parseInput('str', text)).toEqual({ ok: true, value: text });
  });

  it('reads booleans from the checkbox state', () => {
    expect(parseInput('bool', 'true')).toEqual({ ok: true, value: true });
    expect(parseInput('bool', 'false')).toEqual({ ok: true, value: false });
  });

  it('checks the JSON shape of lists and dicts', () => {
    expect(parseInput('list', '[1, 2]')).toEqual({ ok: true, value: [1, 2] });
    expect(parseInput('list', '{"a": 1}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('list')
    });
    expect(parseInput('dict', '{"a": [1]}')).toEqual({
      ok: true,
      value: { a: [1] }
    });
    expect(parseInput('dict', '[1]').ok).toBe(false);
    expect(parseInput('dict', 'null').ok).toBe(false);
    expect(parseInput('list', '[1,').ok).toBe(false);
  });

  it('takes any JSON (or nothing) for a None default', () => {
    expect(parseInput('None', '')).toEqual({ ok: true, value: null });
    expect(parseInput('None', '"x"')).toEqual({ ok: true, value: 'x' });
  });
});

describe('collectParameters', () => {
  const params = [
    param('epochs', 'int', 10),
    param('lr', 'float', 0.1),
    param('name', 'str', 'run'),
    param('debug', 'bool', false),
    param('layers', 'list', [32, 16]),
    param('when', 'any', null, 'pd.Timestamp("2024")')
  ];

  it('keeps only the values that differ from the defaults', () => {
    const { values, errors } = collectParameters(params, {
      epochs: '10',
      lr: '0.25',
      name: 'run',
      debug: 'true',
      layers: '[32, 16]',
      when: ''
    });
    expect(errors).toEqual({});
    expect(values).toEqual({ lr: 0.25, debug: true });
  });

  it('starts from the defaults for inputs never touched', () => {
    expect(collectParameters(params, {})).toEqual({ values: {}, errors: {} });
  });

  it('names every parameter whose input is not of its type', () => {
    const { errors } = collectParameters(params, {
      epochs: '1.5',
      layers: '{"a": 1}'
    });
    expect(Object.keys(errors).sort()).toEqual(['epochs', 'layers']);
    expect(errors.epochs).toBe('epochs must be a whole number');
  });

  it('sends a JSON value given for an expression default', () => {
    const { values } = collectParameters(params, { when: '"2025-01-01"' });
    expect(values).toEqual({ when: '2025-01-01' });
  });
});
