/** Words and numbers of the Monitoring panel and the drift output, as pure functions. */
import { ColumnDrift, Rule } from '../api/client';

export type Verdict = 'drift' | 'no-drift' | 'not-tested' | 'no-points';

/** The verdict of a dataset check (or of a monitor's latest point). */
export function verdictOf(
  drifted: boolean | null | undefined,
  hasPoint = true
): Verdict {
  if (!hasPoint) {
    return 'no-points';
  }
  if (drifted === null || drifted === undefined) {
    return 'not-tested';
  }
  return drifted ? 'drift' : 'no-drift';
}

export const VERDICT_LABELS: Record<Verdict, string> = {
  drift: 'drift',
  'no-drift': 'no drift',
  'not-tested': 'not tested',
  'no-points': 'no points yet'
};

/** A threshold as the monitor reads it: `drifted_share >= 0.3`, `dataset_drift`. */
export function ruleText(rule: Rule): string {
  return rule.metric === 'dataset_drift'
    ? 'dataset_drift'
    : `${rule.metric} ${rule.op} ${rule.value}`;
}

/** A threshold as given: `0.05`, `0.1` (at most 4 significant digits). */
export function formatThreshold(value: number | null | undefined): string {
  return value === null || value === undefined
    ? '—'
    : String(Number(value.toPrecision(4)));
}

/** A column's verdict: `DRIFT`, `no`, `not tested`. */
export function columnVerdict(column: ColumnDrift): string {
  if (column.drifted === null || column.drifted === undefined) {
    return 'not tested';
  }
  return column.drifted ? 'DRIFT' : 'no';
}

// Shared with the other panels: the server's offset-less UTC times.
export { formatShare, formatUtc, utcDate } from '../components/format';
