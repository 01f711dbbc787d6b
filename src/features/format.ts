/**
 * How the Features panel words times and freshness: an age or a ttl for people, and a
 * view's freshness against its ttl (fresh, stale, no ttl, no events yet).
 */
import { Freshness } from '../api/client';

const UNITS: [number, string][] = [
  [86400, 'd'],
  [3600, 'h'],
  [60, 'min']
];

/** `45 s`, `12 min`, `3.5 h`, `2 d`: the largest unit that is at least 1. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || isNaN(seconds)) {
    return '—';
  }
  const abs = Math.abs(seconds);
  for (const [size, unit] of UNITS) {
    if (abs >= size) {
      const value = seconds / size;
      const text = Math.abs(value) >= 10 ? value.toFixed(0) : value.toFixed(1);
      return `${text.replace(/\.0$/, '')} ${unit}`;
    }
  }
  return `${Math.round(seconds)} s`;
}

/** A view's ttl: `ttl 3 d`, or `no ttl` (values never expire). */
export function formatTtl(seconds: number | null | undefined): string {
  return seconds ? `ttl ${formatAge(seconds)}` : 'no ttl';
}

export type FreshnessStatus = 'fresh' | 'stale' | 'no-ttl' | 'no-events';

export interface IFreshnessBadge {
  status: FreshnessStatus;
  label: string;
  /** What the badge means, with the newest event's age against the ttl. */
  title: string;
}

/** The badge of a view's freshness: its newest event's age against its ttl. */
export function freshnessBadge(freshness: Freshness): IFreshnessBadge {
  const age = formatAge(freshness.age_seconds);
  if (!freshness.newest_event) {
    return {
      status: 'no-events',
      label: 'no events',
      title: 'The source has no event times yet'
    };
  }
  if (freshness.fresh === null || freshness.fresh === undefined) {
    return {
      status: 'no-ttl',
      label: 'no ttl',
      title: `Newest event ${age} old; without a ttl, values never expire`
    };
  }
  const ttl = formatAge(freshness.ttl_seconds);
  return freshness.fresh
    ? {
        status: 'fresh',
        label: 'fresh',
        title: `Newest event ${age} old, within the ttl of ${ttl}`
      }
    : {
        status: 'stale',
        label: 'stale',
        title: `Newest event ${age} old, older than the ttl of ${ttl}: lookups find expired values`
      };
}

/** A share as a percentage: `0 %`, `20 %`, `0.4 %`, or `—` when unknown. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined) {
    return '—';
  }
  const percent = share * 100;
  const text =
    percent === 0 || percent >= 10 ? percent.toFixed(0) : percent.toFixed(1);
  return `${text.replace(/\.0$/, '')} %`;
}
