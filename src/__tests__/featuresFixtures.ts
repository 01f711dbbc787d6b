/**
 * A small feature catalog for the Features specs: a driver entity (one Int64 key), a
 * rider entity (a String key), views over each and a service across both.
 */
import {
  FeatureCatalog,
  FeatureEntity,
  FeatureService,
  FeatureView,
  FeatureViewDetail
} from '../api/client';

const STAMP = {
  version: 1,
  created_at: '2026-12-01T10:00:00Z',
  author: 'ada',
  author_source: 'asserted' as const,
  description: '',
  owner: '',
  tags: {}
};

export function entity(
  name: string,
  keys: FeatureEntity['join_keys']
): FeatureEntity {
  return { ...STAMP, name, join_keys: keys };
}

export function view(name: string, entities: string[]): FeatureView {
  return {
    ...STAMP,
    name,
    entities,
    source: `${name}_rows`,
    timestamp_field: 'event_timestamp',
    created_timestamp_column: null,
    ttl_seconds: 259200,
    features: [{ name: 'trips', dtype: 'Int64', description: '' }],
    timezone: null,
    online: true
  };
}

/** A stored definition without what the store added: the spec it was saved from. */
export function specOf<T extends object>(
  definition: T
): Omit<T, 'version' | 'created_at' | 'author' | 'author_source'> {
  const spec = { ...definition } as Record<string, unknown>;
  for (const stored of ['version', 'created_at', 'author', 'author_source']) {
    delete spec[stored];
  }
  return spec as Omit<T, 'version' | 'created_at' | 'author' | 'author_source'>;
}

export function service(name: string, features: string[]): FeatureService {
  return { ...STAMP, name, features };
}

export const CATALOG: FeatureCatalog = {
  entities: [
    entity('driver', [{ name: 'driver_id', dtype: 'Int64', description: '' }]),
    entity('rider', [{ name: 'rider', dtype: 'String', description: '' }])
  ],
  views: [
    { view: view('driver_stats', ['driver']), last_materialization: null },
    { view: view('rider_stats', ['rider']), last_materialization: null },
    { view: view('pairs', ['driver', 'rider']), last_materialization: null }
  ],
  services: [service('eta', ['driver_stats:trips', 'pairs'])]
};

export function viewDetail(name: string): FeatureViewDetail {
  return {
    view: view(name, ['driver']),
    versions: [view(name, ['driver'])],
    dataset: `${name}_rows`,
    dataset_version: 2,
    rows: 5,
    features: [],
    freshness: {
      newest_event: '2026-12-01T09:00:00Z',
      age_seconds: 3600,
      ttl_seconds: 259200,
      fresh: true
    },
    materializations: [],
    used_by: []
  };
}
