/**
 * A lookup's target and its keys: which services and views can be looked up, the join
 * keys a target needs (from its views' entities), and the entities typed in the lookup
 * box (one input per join key, comma-separated for several entities) as the request's
 * `entities`, each value typed by its key's Feast type.
 */
import { FeatureCatalog, FeatureField } from '../api/client';

export type TargetKind = 'service' | 'view';

export interface ITarget {
  kind: TargetKind;
  name: string;
}

export type KeyValue = string | number | boolean;

/** Every target of the catalog: its services, then its views. */
export function targetsOf(catalog: FeatureCatalog): ITarget[] {
  return [
    ...catalog.services.map(s => ({ kind: 'service' as const, name: s.name })),
    ...catalog.views.map(v => ({ kind: 'view' as const, name: v.view.name }))
  ];
}

/** `service:eta`, `view:driver_stats`: a target as one string (a select's value). */
export function targetKey(target: ITarget): string {
  return `${target.kind}:${target.name}`;
}

export function parseTargetKey(key: string): ITarget | null {
  const [kind, name] = key.split(':', 2);
  return (kind === 'service' || kind === 'view') && name
    ? { kind, name }
    : null;
}

/** The views a target reads: the view itself, or the views a service references. */
export function viewsOf(catalog: FeatureCatalog, target: ITarget): string[] {
  if (target.kind === 'view') {
    return [target.name];
  }
  const service = catalog.services.find(s => s.name === target.name);
  const views = (service?.features ?? []).map(ref => ref.split(':')[0]);
  return [...new Set(views)];
}

/** The join keys a target needs, in order of first appearance. */
export function joinKeysOf(
  catalog: FeatureCatalog,
  target: ITarget
): FeatureField[] {
  const keys = new Map<string, FeatureField>();
  for (const name of viewsOf(catalog, target)) {
    const view = catalog.views.find(v => v.view.name === name)?.view;
    for (const entityName of view?.entities ?? []) {
      const entity = catalog.entities.find(e => e.name === entityName);
      for (const key of entity?.join_keys ?? []) {
        if (!keys.has(key.name)) {
          keys.set(key.name, key);
        }
      }
    }
  }
  return [...keys.values()];
}

/** One value read as the key's type; null when it is not one. */
function typed(text: string, key: FeatureField): KeyValue | null {
  switch (key.dtype) {
    case 'Int32':
    case 'Int64':
    case 'UnixTimestamp':
      return /^[-+]?\d+$/.test(text) ? Number(text) : null;
    case 'Float32':
    case 'Float64':
      return isNaN(Number(text)) ? null : Number(text);
    case 'Bool':
      return /^(true|false)$/i.test(text)
        ? text.toLowerCase() === 'true'
        : null;
    default:
      return text;
  }
}

const EXPECTED: Record<string, string> = {
  Int32: 'an integer',
  Int64: 'an integer',
  UnixTimestamp: 'an integer',
  Float32: 'a number',
  Float64: 'a number',
  Bool: 'true or false'
};

export type Entities = Record<string, KeyValue[]>;

/**
 * The entities typed in the lookup box, or what is wrong with them: every key needs as
 * many comma-separated values as the others, each of the key's type.
 */
export function parseEntities(
  keys: FeatureField[],
  texts: Record<string, string>
): Entities | string {
  if (keys.length === 0) {
    return 'this target has no join keys: define its entities first';
  }
  const entities: Entities = {};
  for (const key of keys) {
    const parts = (texts[key.name] ?? '')
      .split(',')
      .map(part => part.trim())
      .filter(part => part !== '');
    if (parts.length === 0) {
      return `enter a value of ${key.name}`;
    }
    const values: KeyValue[] = [];
    for (const part of parts) {
      const value = typed(part, key);
      if (value === null) {
        return `${key.name}: “${part}” is not ${EXPECTED[key.dtype]} (${key.dtype})`;
      }
      values.push(value);
    }
    entities[key.name] = values;
  }
  const counts = new Set(Object.values(entities).map(v => v.length));
  if (counts.size > 1) {
    return 'every join key needs as many values as the others (one per entity)';
  }
  return entities;
}
