/**
 * Pure helpers of the Datasets panel: building checks from the editor's fields, the
 * wording of checks, and the code of a load cell.
 */
import {
  buildCheck,
  describeCheck,
  EMPTY_DRAFT,
  parseValues
} from '../datasets/checks';
import { loadCellCode } from '../datasets/loadCell';

describe('buildCheck', () => {
  it('sends fields a kind does not take as null', () => {
    expect(
      buildCheck({ ...EMPTY_DRAFT, kind: 'row_count', column: 'x', min: '10' })
    ).toEqual({
      kind: 'row_count',
      column: null,
      min: 10,
      max: null,
      values: null
    });
  });

  it('says what is missing or wrong', () => {
    expect(buildCheck({ ...EMPTY_DRAFT, kind: 'unique' })).toBe(
      'a unique check needs a column'
    );
    expect(buildCheck({ ...EMPTY_DRAFT, kind: 'in_range', column: 'pH' })).toBe(
      'a in range check needs min, max or both'
    );
    expect(
      buildCheck({
        ...EMPTY_DRAFT,
        kind: 'in_range',
        column: 'pH',
        min: '5',
        max: '1'
      })
    ).toBe('min 5 is above max 1');
    expect(
      buildCheck({ ...EMPTY_DRAFT, kind: 'in_range', column: 'pH', min: 'x' })
    ).toBe('min and max must be numbers');
    expect(
      buildCheck({
        ...EMPTY_DRAFT,
        kind: 'allowed_values',
        column: 'c',
        values: ' , '
      })
    ).toBe('list the allowed values, separated by commas');
  });

  it('types allowed values after the column', () => {
    const check = buildCheck(
      { ...EMPTY_DRAFT, kind: 'allowed_values', column: 'n', values: '1, 2.5' },
      { n: 'int64' }
    );
    expect(check).toMatchObject({ values: [1, 2.5] });
  });
});

describe('parseValues', () => {
  it('keeps text for text columns and reads booleans for boolean ones', () => {
    expect(parseValues('red, white,, 1', 'object')).toEqual([
      'red',
      'white',
      '1'
    ]);
    expect(parseValues('True, false', 'bool')).toEqual([true, false]);
  });
});

describe('describeCheck', () => {
  it('words checks as the server does', () => {
    const base = { column: null, min: null, max: null, values: null };
    expect(
      describeCheck({ ...base, kind: 'in_range', column: 'pH', min: 2.5 })
    ).toBe('pH ≥ 2.5');
    expect(describeCheck({ ...base, kind: 'row_count', max: 9 })).toBe(
      'row count ≤ 9'
    );
    expect(
      describeCheck({ ...base, kind: 'in_range', column: 'x', min: 0, max: 1 })
    ).toBe('x in [0, 1]');
  });
});

describe('loadCellCode', () => {
  it('loads into the name, or into a safe variable when the name is not one', () => {
    expect(loadCellCode('wine', 'v2')).toBe('%dataset load wine@v2');
    expect(loadCellCode('sales.eu', 'v1')).toBe('%dataset load sales.eu@v1');
    expect(loadCellCode('wine-red', 'v3')).toBe(
      '%dataset load wine-red@v3 --as wine_red'
    );
    expect(loadCellCode('2024', 'v1')).toBe('%dataset load 2024@v1 --as _2024');
  });
});
