/**
 * Feast's value types as the definition forms offer them, and the type a dataset's column
 * suggests from its dtype (pandas' names, NumPy's, or Arrow's for `[pyarrow]` columns).
 * Only a suggestion: the server checks the declared type against the column's own.
 */
import { ColumnStats, FeatureType } from '../api/client';

/** Feast's types, the most common first. */
export const FEAST_TYPES: FeatureType[] = [
  'Int64',
  'Float64',
  'String',
  'Bool',
  'UnixTimestamp',
  'Int32',
  'Float32'
];

const BY_DTYPE: Record<string, FeatureType> = {
  int8: 'Int32',
  int16: 'Int32',
  int32: 'Int32',
  uint8: 'Int32',
  uint16: 'Int32',
  // uint32 does not fit an Int32
  uint32: 'Int64',
  int64: 'Int64',
  uint64: 'Int64',
  float16: 'Float32',
  halffloat: 'Float32',
  float32: 'Float32',
  float: 'Float32', // Arrow's name of a 32-bit float
  float64: 'Float64',
  double: 'Float64',
  bool: 'Bool',
  boolean: 'Bool',
  object: 'String',
  str: 'String',
  string: 'String',
  large_string: 'String',
  category: 'String'
};

/** A dtype without its storage suffix: `Int64`, `string[python]`, `int64[pyarrow]`. */
function bare(dtype: string): string {
  return dtype
    .trim()
    .replace(/\[(python|pyarrow)\]$/, '')
    .toLowerCase();
}

/** Whether a column of `dtype` holds times (aware or naive). */
export function isTimeDtype(dtype: string): boolean {
  return /^(datetime64|timestamp)\[/.test(bare(dtype));
}

/** Whether a column of `dtype` holds naive times (no zone: a view must say how to read them). */
export function isNaiveTimeDtype(dtype: string): boolean {
  const d = bare(dtype);
  return (
    (d.startsWith('datetime64[') && !d.includes(',')) ||
    (d.startsWith('timestamp[') && !d.includes('tz='))
  );
}

/** The Feast type a column of `dtype` suggests; null when none fits (a duration…). */
export function suggestFeastType(dtype: string): FeatureType | null {
  if (isTimeDtype(dtype)) {
    return 'UnixTimestamp';
  }
  const d = bare(dtype);
  if (d.startsWith('dictionary<')) {
    return 'String'; // a categorical column, as Arrow writes it
  }
  return BY_DTYPE[d] ?? null;
}

/** The columns holding times, in the dataset's order. */
export function timeColumns(columns: ColumnStats[]): string[] {
  return columns.filter(c => isTimeDtype(c.dtype)).map(c => c.name);
}

const EVENT_NAMES = [
  'event_timestamp',
  'event_time',
  'timestamp',
  'ts',
  'time',
  'datetime'
];
const CREATED_NAMES = [
  'created',
  'created_timestamp',
  'created_at',
  'created_time'
];

/** The column most likely to hold a row's event time: by its name, else the first time. */
export function suggestEventTime(columns: ColumnStats[]): string {
  const times = timeColumns(columns);
  return EVENT_NAMES.find(n => times.includes(n)) ?? times[0] ?? '';
}

/** A time column named as a created time (`created`, `created_at`…), else none. */
export function suggestCreatedTime(columns: ColumnStats[]): string {
  const times = timeColumns(columns);
  return CREATED_NAMES.find(n => times.includes(n)) ?? '';
}
