/**
 * The Features panel's pure parts: ages and freshness, the sparkline's bars, a lookup's
 * join keys and typed entities, the cells it inserts, and a run's feature tags.
 */
import {
  entitiesLiteral,
  lookupCode,
  trainingSetCode
} from '../features/cells';
import {
  formatAge,
  formatShare,
  formatTtl,
  freshnessBadge
} from '../features/format';
import {
  joinKeysOf,
  parseEntities,
  parseTargetKey,
  targetKey,
  targetsOf
} from '../features/lookup';
import { runFeatures } from '../features/runTags';
import { sparkBars } from '../features/sparkline';
import { CATALOG } from './featuresFixtures';

describe('formatAge and formatTtl', () => {
  it('uses the largest unit that is at least one', () => {
    expect(formatAge(45)).toBe('45 s');
    expect(formatAge(90)).toBe('1.5 min');
    expect(formatAge(3600)).toBe('1 h');
    expect(formatAge(5400)).toBe('1.5 h');
    expect(formatAge(259200)).toBe('3 d');
    expect(formatAge(40 * 86400)).toBe('40 d');
    expect(formatAge(null)).toBe('—');
  });

  it('says when a view has no ttl', () => {
    expect(formatTtl(259200)).toBe('ttl 3 d');
    expect(formatTtl(null)).toBe('no ttl');
  });

  it('writes a share as a percentage', () => {
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(0.2)).toBe('20 %');
    expect(formatShare(0.004)).toBe('0.4 %');
    expect(formatShare(null)).toBe('—');
  });
});

describe('freshnessBadge', () => {
  const base = {
    newest_event: '2026-12-01T09:00:00Z',
    age_seconds: 3600,
    ttl_seconds: 259200
  };

  it('is fresh within the ttl and stale past it', () => {
    const fresh = freshnessBadge({ ...base, fresh: true });
    expect(fresh.status).toBe('fresh');
    expect(fresh.title).toContain('1 h old, within the ttl of 3 d');
    const stale = freshnessBadge({
      ...base,
      age_seconds: 4 * 86400,
      fresh: false
    });
    expect(stale.status).toBe('stale');
    expect(stale.title).toContain('older than the ttl of 3 d');
  });

  it('has no verdict without a ttl or without events', () => {
    expect(
      freshnessBadge({ ...base, ttl_seconds: null, fresh: null }).status
    ).toBe('no-ttl');
    expect(
      freshnessBadge({
        newest_event: null,
        age_seconds: null,
        ttl_seconds: 60,
        fresh: null
      }).status
    ).toBe('no-events');
  });
});

describe('sparkBars', () => {
  it('scales bars to the tallest bin, an empty bin flat, a small one visible', () => {
    const bars = sparkBars([4, 0, 2, 1000], 100, 20);
    expect(bars).toHaveLength(4);
    expect(bars[3]).toMatchObject({ x: 75, y: 0, height: 20, count: 1000 });
    expect(bars[1].height).toBe(0);
    expect(bars[0].height).toBe(1); // 4/1000 of 20 px, kept at a hairline
    expect(bars[2].x).toBe(50);
  });

  it('draws nothing for no values', () => {
    expect(sparkBars([], 100, 20)).toEqual([]);
    expect(sparkBars([0, 0], 100, 20)).toEqual([]);
  });
});

describe('lookup targets and keys', () => {
  it('lists services, then views, and reads a target back from its key', () => {
    const targets = targetsOf(CATALOG);
    expect(targets.map(targetKey)).toEqual([
      'service:eta',
      'view:driver_stats',
      'view:rider_stats',
      'view:pairs'
    ]);
    expect(parseTargetKey('view:pairs')).toEqual({
      kind: 'view',
      name: 'pairs'
    });
    expect(parseTargetKey('nonsense')).toBeNull();
  });

  it("takes the join keys of a service's views, each once", () => {
    const keys = joinKeysOf(CATALOG, { kind: 'service', name: 'eta' });
    expect(keys.map(k => k.name)).toEqual(['driver_id', 'rider']);
    expect(
      joinKeysOf(CATALOG, { kind: 'view', name: 'driver_stats' }).map(
        k => k.name
      )
    ).toEqual(['driver_id']);
  });

  it('types comma-separated values by their key', () => {
    const keys = joinKeysOf(CATALOG, { kind: 'view', name: 'pairs' });
    expect(parseEntities(keys, { driver_id: '1, 2', rider: 'ann,bo' })).toEqual(
      {
        driver_id: [1, 2],
        rider: ['ann', 'bo']
      }
    );
  });

  it('says what is wrong with the values typed', () => {
    const keys = joinKeysOf(CATALOG, { kind: 'view', name: 'pairs' });
    expect(parseEntities(keys, { driver_id: '1' })).toBe(
      'enter a value of rider'
    );
    expect(parseEntities(keys, { driver_id: 'x', rider: 'a' })).toContain(
      '“x” is not an integer (Int64)'
    );
    expect(parseEntities(keys, { driver_id: '1,2', rider: 'a' })).toContain(
      'as many values'
    );
    expect(parseEntities([], {})).toContain('no join keys');
  });
});

describe('cells', () => {
  const keys = joinKeysOf(CATALOG, { kind: 'view', name: 'pairs' });

  it('writes a training set of a service or of a view', () => {
    expect(trainingSetCode({ kind: 'service', name: 'eta' })).toBe(
      'mlops.features.training_set(entity_df, service="eta").to_df()'
    );
    expect(trainingSetCode({ kind: 'view', name: 'pairs' })).toBe(
      'mlops.features.training_set(entity_df, features=["pairs"]).to_df()'
    );
  });

  it('writes a lookup with the keys typed, else an example of each', () => {
    expect(
      lookupCode({ kind: 'service', name: 'eta' }, keys, {
        driver_id: [1, 2],
        rider: ['a', 'b']
      })
    ).toBe(
      'mlops.features.online("eta", {"driver_id": [1, 2], "rider": ["a", "b"]}).to_df()'
    );
    expect(lookupCode({ kind: 'view', name: 'pairs' }, keys)).toBe(
      'mlops.features.online(view="pairs", entities={"driver_id": [1], "rider": ["id"]}).to_df()'
    );
  });

  it("writes Python's booleans", () => {
    const flag = [{ name: 'active', dtype: 'Bool' as const, description: '' }];
    expect(entitiesLiteral(flag, { active: [true, false] })).toBe(
      '{"active": [True, False]}'
    );
  });
});

describe('runFeatures', () => {
  it('reads the exact views from our tag, the service from Feast’s', () => {
    const found = runFeatures({
      'feast.feature_service': 'eta',
      'feast.feature_views': 'driver_stats',
      'mlops.features.views':
        '[{"view":"driver_stats","version":2,"dataset":"driver_rows","dataset_version":3}]'
    });
    expect(found).toEqual({
      service: 'eta',
      views: [
        {
          view: 'driver_stats',
          version: 2,
          dataset: 'driver_rows',
          datasetVersion: 3
        }
      ]
    });
  });

  it("falls back to Feast's view names when our tag is cut short", () => {
    const found = runFeatures({
      'feast.feature_views': 'a,b,c...',
      'mlops.features.views': '[{"view":"a","ver...'
    });
    expect(found.service).toBeNull();
    expect(found.views.map(v => v.view)).toEqual(['a', 'b']);
  });

  it('finds nothing on a run without a training set', () => {
    expect(runFeatures({ 'mlflow.runName': 'x' })).toEqual({
      service: null,
      views: []
    });
  });
});
