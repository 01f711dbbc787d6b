/**
 * The code of the cells the Features panel inserts into a notebook: a point-in-time
 * training set of a service (or a view), and an online lookup of some entities.
 */
import { FeatureField } from '../api/client';
import { Entities, ITarget, KeyValue } from './lookup';

/** A value as Python source: JSON's strings and numbers, Python's booleans. */
function python(value: KeyValue): string {
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  return JSON.stringify(value);
}

/** A typed stand-in value of a key, for a cell written before any key was typed. */
function example(key: FeatureField): KeyValue {
  switch (key.dtype) {
    case 'String':
      return 'id';
    case 'Bool':
      return true;
    case 'Float32':
    case 'Float64':
      return 1.0;
    default:
      return 1;
  }
}

/** `{"driver_id": [1, 2]}`: the entities, else one example value of each key. */
export function entitiesLiteral(
  keys: FeatureField[],
  entities: Entities | null
): string {
  const items = keys.map(key => {
    const values = entities?.[key.name] ?? [example(key)];
    return `${JSON.stringify(key.name)}: [${values.map(python).join(', ')}]`;
  });
  return `{${items.join(', ')}}`;
}

/** A point-in-time training set of `entity_df` from the target's features. */
export function trainingSetCode(target: ITarget): string {
  const from =
    target.kind === 'service'
      ? `service=${JSON.stringify(target.name)}`
      : `features=[${JSON.stringify(target.name)}]`;
  return `mlops.features.training_set(entity_df, ${from}).to_df()`;
}

/** The target's online values of some entities. */
export function lookupCode(
  target: ITarget,
  keys: FeatureField[],
  entities: Entities | null = null
): string {
  const literal = entitiesLiteral(keys, entities);
  const name = JSON.stringify(target.name);
  return target.kind === 'service'
    ? `mlops.features.online(${name}, ${literal}).to_df()`
    : `mlops.features.online(view=${name}, entities=${literal}).to_df()`;
}
