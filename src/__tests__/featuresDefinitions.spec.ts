/**
 * The definition forms' pure parts: the Feast type a column's dtype suggests, the time
 * columns and features a dataset version suggests, a ttl with its unit, a pinned source,
 * the service's picked references, and the spec each form builds (an edited definition,
 * saved unchanged, builds the very spec it came from).
 */
import { ColumnStats, DatasetVersion } from '../api/client';
import {
  buildEntitySpec,
  buildServiceSpec,
  buildViewSpec,
  entityFormOf,
  featureRowsOf,
  fieldRow,
  IViewForm,
  newEntityForm,
  newServiceForm,
  newViewForm,
  parseSource,
  pickFeature,
  pickWholeView,
  pinnedVersion,
  serviceFormOf,
  takesFeature,
  takesWholeView,
  ttlFields,
  ttlSeconds,
  viewFormOf
} from '../features/definitionForms';
import {
  isNaiveTimeDtype,
  isTimeDtype,
  suggestCreatedTime,
  suggestEventTime,
  suggestFeastType,
  timeColumns
} from '../features/feastTypes';

import { CATALOG, entity, service, specOf, view } from './featuresFixtures';

function column(name: string, dtype: string): ColumnStats {
  return {
    name,
    dtype,
    nulls: 0,
    min: null,
    max: null,
    mean: null,
    std: null,
    quantiles: null,
    top_values: null
  };
}

const COLUMNS = [
  column('driver_id', 'Int64'),
  column('created', 'datetime64[ns, UTC]'),
  column('event_timestamp', 'datetime64[us, UTC]'),
  column('trips', 'int64'),
  column('rating', 'float64'),
  column('city', 'object'),
  column('late', 'timedelta64[ns]')
];

describe('suggestFeastType', () => {
  it.each([
    ['int64', 'Int64'],
    ['Int64', 'Int64'],
    ['uint64', 'Int64'],
    ['uint32', 'Int64'],
    ['int32', 'Int32'],
    ['int8', 'Int32'],
    ['UInt16', 'Int32'],
    ['float64', 'Float64'],
    ['Float64', 'Float64'],
    ['double[pyarrow]', 'Float64'],
    ['float32', 'Float32'],
    ['float16', 'Float32'],
    ['bool', 'Bool'],
    ['boolean', 'Bool'],
    ['object', 'String'],
    ['string', 'String'],
    ['string[python]', 'String'],
    ['str', 'String'],
    ['category', 'String'],
    ['large_string[pyarrow]', 'String'],
    ['dictionary<values=string, indices=int8, ordered=0>', 'String'],
    ['datetime64[ns]', 'UnixTimestamp'],
    ['datetime64[ns, UTC]', 'UnixTimestamp'],
    ['datetime64[us, Europe/Paris]', 'UnixTimestamp'],
    ['timestamp[ns, tz=UTC][pyarrow]', 'UnixTimestamp'],
    ['int64[pyarrow]', 'Int64']
  ])('%s → %s', (dtype, feast) => {
    expect(suggestFeastType(dtype)).toBe(feast);
  });

  it('suggests nothing for what no Feast type holds', () => {
    expect(suggestFeastType('timedelta64[ns]')).toBeNull();
    expect(suggestFeastType('complex128')).toBeNull();
    expect(suggestFeastType('period[D]')).toBeNull();
  });
});

describe('time columns', () => {
  it('tells naive times from aware ones', () => {
    expect(isTimeDtype('datetime64[ns]')).toBe(true);
    expect(isTimeDtype('timedelta64[ns]')).toBe(false);
    expect(isNaiveTimeDtype('datetime64[ns]')).toBe(true);
    expect(isNaiveTimeDtype('datetime64[ns, UTC]')).toBe(false);
    expect(isNaiveTimeDtype('timestamp[us][pyarrow]')).toBe(true);
    expect(isNaiveTimeDtype('timestamp[us, tz=UTC][pyarrow]')).toBe(false);
    expect(isNaiveTimeDtype('int64')).toBe(false);
  });

  it('suggests the event time by its name, else the first time column', () => {
    expect(timeColumns(COLUMNS)).toEqual(['created', 'event_timestamp']);
    expect(suggestEventTime(COLUMNS)).toBe('event_timestamp');
    expect(
      suggestEventTime([column('a', 'int64'), column('when', 'datetime64[ns]')])
    ).toBe('when');
    expect(suggestEventTime([column('a', 'int64')])).toBe('');
  });

  it('suggests a created time only when one is named so', () => {
    expect(suggestCreatedTime(COLUMNS)).toBe('created');
    expect(suggestCreatedTime([column('ts', 'datetime64[ns]')])).toBe('');
  });
});

describe('featureRowsOf', () => {
  it("types every column but the view's keys and times, leaving out what fits no type", () => {
    const rows = featureRowsOf(COLUMNS, [
      'driver_id',
      'event_timestamp',
      'created'
    ]);
    expect(rows.map(r => [r.name, r.dtype])).toEqual([
      ['trips', 'Int64'],
      ['rating', 'Float64'],
      ['city', 'String']
    ]);
  });
});

describe('ttl', () => {
  it('reads a number of a unit as seconds; empty is no ttl', () => {
    expect(ttlSeconds('3', 'days')).toBe(259200);
    expect(ttlSeconds(' 1.5 ', 'hours')).toBe(5400);
    expect(ttlSeconds('90', 'seconds')).toBe(90);
    expect(ttlSeconds('', 'days')).toBeNull();
  });

  it('names what is wrong', () => {
    expect(ttlSeconds('0', 'days')).toContain('positive number of days');
    expect(ttlSeconds('-2', 'hours')).toContain('positive');
    expect(ttlSeconds('soon', 'minutes')).toContain('positive');
    expect(ttlSeconds('0.5', 'seconds')).toContain('whole number of seconds');
  });

  it('shows seconds in the largest unit they are a whole number of', () => {
    expect(ttlFields(259200)).toEqual({ ttl: '3', ttlUnit: 'days' });
    expect(ttlFields(5400)).toEqual({ ttl: '90', ttlUnit: 'minutes' });
    expect(ttlFields(7200)).toEqual({ ttl: '2', ttlUnit: 'hours' });
    expect(ttlFields(61)).toEqual({ ttl: '61', ttlUnit: 'seconds' });
    expect(ttlFields(null)).toEqual({ ttl: '', ttlUnit: 'days' });
  });
});

describe('the source', () => {
  function version(n: number, tags: string[] = []): DatasetVersion {
    return {
      name: 'rows',
      version: n,
      created_at: '2026-12-01T10:00:00Z',
      tags,
      manifest: { kind: 'dataframe', object_id: `o${n}`, size: 1, author: 'a' }
    } as DatasetVersion;
  }
  const versions = [version(3), version(2, ['gold']), version(1)];

  it('follows the latest version or pins one', () => {
    expect(parseSource('driver_rows')).toEqual({
      dataset: 'driver_rows',
      pin: ''
    });
    expect(parseSource('driver_rows@v3')).toEqual({
      dataset: 'driver_rows',
      pin: 'v3'
    });
  });

  it('finds the version a pin names', () => {
    expect(pinnedVersion(versions, '')?.version).toBe(3);
    expect(pinnedVersion(versions, 'v1')?.version).toBe(1);
    expect(pinnedVersion(versions, 'gold')?.version).toBe(2);
    expect(pinnedVersion(versions, 'v9')).toBeNull();
    expect(pinnedVersion([], '')).toBeNull();
  });
});

function viewForm(patch: Partial<IViewForm> = {}): IViewForm {
  return {
    ...newViewForm(),
    name: ' driver_stats ',
    entities: ['driver'],
    dataset: 'driver_rows',
    timestampField: 'event_timestamp',
    features: [fieldRow('trips', 'Int64'), fieldRow(' ', 'Float64')],
    ...patch
  };
}

describe('buildViewSpec', () => {
  it('builds the spec the server takes', () => {
    expect(
      buildViewSpec(
        viewForm({
          pin: 'v2',
          createdField: 'created',
          ttl: '6',
          ttlUnit: 'hours',
          description: ' hourly ',
          owner: 'team-eta',
          timezone: 'UTC'
        })
      )
    ).toEqual({
      name: 'driver_stats',
      description: 'hourly',
      owner: 'team-eta',
      tags: {},
      entities: ['driver'],
      source: 'driver_rows@v2',
      timestamp_field: 'event_timestamp',
      created_timestamp_column: 'created',
      ttl_seconds: 21600,
      features: [{ name: 'trips', dtype: 'Int64', description: '' }],
      timezone: 'UTC',
      online: true
    });
  });

  it('sends no pin, created time, ttl or zone when they are left empty', () => {
    expect(buildViewSpec(viewForm())).toMatchObject({
      source: 'driver_rows',
      created_timestamp_column: null,
      ttl_seconds: null,
      timezone: null
    });
  });

  it('says what the form still lacks', () => {
    expect(buildViewSpec(viewForm({ name: '' }))).toBe('Name the view.');
    expect(buildViewSpec(viewForm({ entities: [] }))).toContain('entities');
    expect(buildViewSpec(viewForm({ dataset: '' }))).toContain('dataset');
    expect(buildViewSpec(viewForm({ timestampField: '' }))).toContain(
      'event-time'
    );
    expect(buildViewSpec(viewForm({ ttl: 'x' }))).toContain('ttl');
    expect(buildViewSpec(viewForm({ features: [fieldRow(' ')] }))).toContain(
      'at least one feature'
    );
  });

  it('builds the very spec of a view it edits, unchanged', () => {
    const stored = {
      ...view('driver_stats', ['driver']),
      source: 'driver_rows@v2',
      created_timestamp_column: 'created',
      ttl_seconds: 5400,
      timezone: 'Europe/Paris',
      online: false,
      description: 'stats',
      tags: { team: 'eta' }
    };
    const form = viewFormOf(stored);
    expect(form).toMatchObject({ dataset: 'driver_rows', pin: 'v2' });
    expect(form).toMatchObject({ ttl: '90', ttlUnit: 'minutes' });
    expect(buildViewSpec(form)).toEqual(specOf(stored));
  });
});

describe('buildEntitySpec', () => {
  it('builds the entity from its named join keys', () => {
    const form = {
      ...newEntityForm(),
      name: 'driver',
      keys: [fieldRow(' driver_id ', 'Int64'), fieldRow('', 'String')]
    };
    expect(buildEntitySpec(form)).toEqual({
      name: 'driver',
      description: '',
      owner: '',
      tags: {},
      join_keys: [{ name: 'driver_id', dtype: 'Int64', description: '' }]
    });
    expect(buildEntitySpec({ ...form, name: ' ' })).toBe('Name the entity.');
    expect(buildEntitySpec({ ...form, keys: [] })).toContain('join key');
  });

  it('builds the very spec of an entity it edits, unchanged', () => {
    const stored = entity('rider', [
      { name: 'rider', dtype: 'String', description: 'who rides' }
    ]);
    expect(buildEntitySpec(entityFormOf(stored))).toEqual(specOf(stored));
  });
});

describe('service references', () => {
  it('takes a whole view where its first reference was, or none of it', () => {
    let refs = ['a:x', 'b:y', 'a:z'];
    refs = pickWholeView(refs, 'a', true);
    expect(refs).toEqual(['a', 'b:y']);
    expect(takesWholeView(refs, 'a')).toBe(true);
    expect(takesFeature(refs, 'a', 'anything')).toBe(true);
    expect(pickWholeView(refs, 'c', true)).toEqual(['a', 'b:y', 'c']);
    expect(pickWholeView(refs, 'a', false)).toEqual(['b:y']);
    expect(takesWholeView(['a:*'], 'a')).toBe(true);
  });

  it('takes and leaves single features', () => {
    let refs = pickFeature([], 'a', 'x', true);
    refs = pickFeature(refs, 'b', 'y', true);
    expect(refs).toEqual(['a:x', 'b:y']);
    expect(takesFeature(refs, 'a', 'x')).toBe(true);
    expect(takesFeature(refs, 'a', 'z')).toBe(false);
    expect(pickFeature(refs, 'a', 'x', false)).toEqual(['b:y']);
  });

  it('builds the service; an edited one keeps its references in order', () => {
    const stored = CATALOG.services[0];
    expect(buildServiceSpec(serviceFormOf(stored))).toEqual(specOf(stored));
    expect(buildServiceSpec({ ...newServiceForm(), name: 'eta' })).toContain(
      'Pick the features'
    );
    expect(
      buildServiceSpec({
        ...serviceFormOf(service('eta', ['pairs'])),
        name: ''
      })
    ).toBe('Name the service.');
  });
});
