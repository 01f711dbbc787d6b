/**
 * The definition forms of the Features panel as plain values: an entity's, a view's and a
 * service's form, the form a stored definition fills in (to edit it: saving makes a new
 * version), and the spec each form sends, or a message naming what the form still lacks.
 * Names, columns and references are checked by the server, which names what is wrong.
 */
import {
  ColumnStats,
  DatasetVersion,
  EntitySpec,
  FeatureEntity,
  FeatureService,
  FeatureServiceSpec,
  FeatureType,
  FeatureView,
  FeatureViewSpec
} from '../api/client';
import { suggestFeastType } from './feastTypes';

/** A typed column being edited: a join key or a feature. */
export interface IFieldRow {
  name: string;
  dtype: FeatureType;
  /** Kept from the definition being edited (the form does not show it). */
  description: string;
}

/** What every definition has besides its own fields. */
interface IDescribed {
  name: string;
  description: string;
  owner: string;
  /** Kept from the definition being edited. */
  tags: Record<string, string>;
}

export type Built<T> = T | string;

export function fieldRow(name = '', dtype: FeatureType = 'Int64'): IFieldRow {
  return { name, dtype, description: '' };
}

const DESCRIBED: IDescribed = {
  name: '',
  description: '',
  owner: '',
  tags: {}
};

function described(form: IDescribed): IDescribed {
  return {
    name: form.name.trim(),
    description: form.description.trim(),
    owner: form.owner.trim(),
    tags: form.tags
  };
}

/** The rows that name a column (a row left blank is not one), trimmed. */
function namedRows(rows: IFieldRow[]): IFieldRow[] {
  return rows
    .map(row => ({ ...row, name: row.name.trim() }))
    .filter(row => row.name !== '');
}

// -- entities ---------------------------------------------------------------------------

export interface IEntityForm extends IDescribed {
  keys: IFieldRow[];
}

export function newEntityForm(): IEntityForm {
  return { ...DESCRIBED, keys: [fieldRow()] };
}

export function entityFormOf(entity: FeatureEntity): IEntityForm {
  return {
    name: entity.name,
    description: entity.description,
    owner: entity.owner,
    tags: entity.tags,
    keys: entity.join_keys.map(k => ({ ...k }))
  };
}

export function buildEntitySpec(form: IEntityForm): Built<EntitySpec> {
  const base = described(form);
  if (!base.name) {
    return 'Name the entity.';
  }
  const keys = namedRows(form.keys);
  if (keys.length === 0) {
    return 'An entity needs at least one join key.';
  }
  return { ...base, join_keys: keys };
}

// -- views ------------------------------------------------------------------------------

export type TtlUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export const TTL_UNITS: { unit: TtlUnit; seconds: number }[] = [
  { unit: 'days', seconds: 86400 },
  { unit: 'hours', seconds: 3600 },
  { unit: 'minutes', seconds: 60 },
  { unit: 'seconds', seconds: 1 }
];

export interface IViewForm extends IDescribed {
  entities: string[];
  /** The source dataset's name. */
  dataset: string;
  /** A pinned version (`v3`, or a tag); empty: follow the latest version. */
  pin: string;
  timestampField: string;
  /** Empty: no created-time column. */
  createdField: string;
  /** Empty: no ttl (values never expire). */
  ttl: string;
  ttlUnit: TtlUnit;
  features: IFieldRow[];
  /** How to read naive source times (an IANA zone); empty: times carry their zone. */
  timezone: string;
  /** Kept from the definition being edited. */
  online: boolean;
}

export function newViewForm(): IViewForm {
  return {
    ...DESCRIBED,
    entities: [],
    dataset: '',
    pin: '',
    timestampField: '',
    createdField: '',
    ttl: '',
    ttlUnit: 'days',
    features: [],
    timezone: '',
    online: true
  };
}

/** `driver_rows` → the dataset and no pin; `driver_rows@v3` → pinned to v3. */
export function parseSource(source: string): { dataset: string; pin: string } {
  const at = source.lastIndexOf('@');
  return at < 0
    ? { dataset: source, pin: '' }
    : { dataset: source.slice(0, at), pin: source.slice(at + 1) };
}

/**
 * The version a pin names among a dataset's versions (newest first): `v3`, a tag, or the
 * latest when nothing is pinned; null when none matches.
 */
export function pinnedVersion(
  versions: DatasetVersion[],
  pin: string
): DatasetVersion | null {
  if (!pin) {
    return versions[0] ?? null;
  }
  const number = /^v(\d+)$/.exec(pin);
  return (
    versions.find(v =>
      number ? v.version === Number(number[1]) : v.tags.includes(pin)
    ) ?? null
  );
}

/** A ttl in the largest unit it is a whole number of: 259200 s → 3 days. */
export function ttlFields(seconds: number | null | undefined): {
  ttl: string;
  ttlUnit: TtlUnit;
} {
  if (!seconds) {
    return { ttl: '', ttlUnit: 'days' };
  }
  const unit =
    TTL_UNITS.find(u => seconds % u.seconds === 0) ??
    TTL_UNITS[TTL_UNITS.length - 1];
  return { ttl: String(seconds / unit.seconds), ttlUnit: unit.unit };
}

/** The ttl in seconds (null: none), or what is wrong with it. */
export function ttlSeconds(ttl: string, unit: TtlUnit): number | null | string {
  const text = ttl.trim();
  if (text === '') {
    return null;
  }
  const size = TTL_UNITS.find(u => u.unit === unit)?.seconds ?? 1;
  const seconds = Number(text) * size;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    return `The ttl must be a positive number of ${unit} (or empty: no ttl).`;
  }
  if (Math.abs(seconds - Math.round(seconds)) > 1e-6) {
    return 'The ttl must be a whole number of seconds.';
  }
  return Math.round(seconds);
}

export function viewFormOf(view: FeatureView): IViewForm {
  return {
    name: view.name,
    description: view.description,
    owner: view.owner,
    tags: view.tags,
    entities: [...view.entities],
    ...parseSource(view.source),
    timestampField: view.timestamp_field,
    createdField: view.created_timestamp_column ?? '',
    ...ttlFields(view.ttl_seconds),
    features: view.features.map(f => ({ ...f })),
    timezone: view.timezone ?? '',
    online: view.online
  };
}

/**
 * The features a dataset's columns suggest: every column that is not a join key or a time
 * column of the view, typed from its dtype (columns no Feast type fits are left out).
 */
export function featureRowsOf(
  columns: ColumnStats[],
  exclude: string[]
): IFieldRow[] {
  const rows: IFieldRow[] = [];
  for (const column of columns) {
    const dtype = suggestFeastType(column.dtype);
    if (dtype && !exclude.includes(column.name)) {
      rows.push(fieldRow(column.name, dtype));
    }
  }
  return rows;
}

export function buildViewSpec(form: IViewForm): Built<FeatureViewSpec> {
  const base = described(form);
  if (!base.name) {
    return 'Name the view.';
  }
  if (form.entities.length === 0) {
    return 'Pick the entities the view is about.';
  }
  const dataset = form.dataset.trim();
  if (!dataset) {
    return 'Pick the source dataset.';
  }
  const timestamp = form.timestampField.trim();
  if (!timestamp) {
    return 'Pick the event-time column.';
  }
  const ttl = ttlSeconds(form.ttl, form.ttlUnit);
  if (typeof ttl === 'string') {
    return ttl;
  }
  const features = namedRows(form.features);
  if (features.length === 0) {
    return 'A view needs at least one feature.';
  }
  const pin = form.pin.trim();
  return {
    ...base,
    entities: form.entities,
    source: pin ? `${dataset}@${pin}` : dataset,
    timestamp_field: timestamp,
    created_timestamp_column: form.createdField.trim() || null,
    ttl_seconds: ttl,
    features,
    timezone: form.timezone.trim() || null,
    online: form.online
  };
}

// -- services ---------------------------------------------------------------------------

export interface IServiceForm extends IDescribed {
  /** `view` (all of its features) or `view:feature`, in the order they were picked. */
  refs: string[];
}

export function newServiceForm(): IServiceForm {
  return { ...DESCRIBED, refs: [] };
}

export function serviceFormOf(service: FeatureService): IServiceForm {
  return {
    name: service.name,
    description: service.description,
    owner: service.owner,
    tags: service.tags,
    refs: [...service.features]
  };
}

function viewOfRef(ref: string): string {
  return ref.split(':')[0];
}

/** Whether `refs` take all of `view`'s features (`view`, or `view:*`). */
export function takesWholeView(refs: string[], view: string): boolean {
  return refs.includes(view) || refs.includes(`${view}:*`);
}

export function takesFeature(
  refs: string[],
  view: string,
  feature: string
): boolean {
  return takesWholeView(refs, view) || refs.includes(`${view}:${feature}`);
}

/**
 * Take all of `view`'s features (one `view` reference where its first one was), or none of
 * them.
 */
export function pickWholeView(
  refs: string[],
  view: string,
  on: boolean
): string[] {
  const at = refs.findIndex(r => viewOfRef(r) === view);
  const others = refs.filter(r => viewOfRef(r) !== view);
  if (!on) {
    return others;
  }
  const position = at < 0 ? others.length : at;
  return [...others.slice(0, position), view, ...others.slice(position)];
}

/** Take one feature of `view`, or leave it. */
export function pickFeature(
  refs: string[],
  view: string,
  feature: string,
  on: boolean
): string[] {
  const ref = `${view}:${feature}`;
  const without = refs.filter(r => r !== ref);
  return on ? [...without, ref] : without;
}

export function buildServiceSpec(
  form: IServiceForm
): Built<FeatureServiceSpec> {
  const base = described(form);
  if (!base.name) {
    return 'Name the service.';
  }
  if (form.refs.length === 0) {
    return 'Pick the features the service serves.';
  }
  return { ...base, features: form.refs };
}
