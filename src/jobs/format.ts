/** Words and times of the Jobs panel, as pure functions. */
import {
  GateResult,
  JobEvent,
  JobRun,
  RunStatus,
  Stage,
  StageState,
  StepStatus
} from '../api/client';
import { utcDate } from '../components/format';

export const STAGES: Stage[] = ['dev', 'staging', 'prod'];

/** The stage a version is promoted to from `stage`; null from prod. */
export function nextStage(stage: Stage): Stage | null {
  const i = STAGES.indexOf(stage);
  return i >= 0 && i < STAGES.length - 1 ? STAGES[i + 1] : null;
}

/** A run's or a step's status. */
export type Status = RunStatus | StepStatus;

const ACTIVE = new Set<string>(['queued', 'running']);

/** Whether a run (or a step) may still change. */
export function isActive(status: Status): boolean {
  return ACTIVE.has(status) || status === 'pending';
}

export function isFailure(run: JobRun | null | undefined): boolean {
  return !!run && (run.status === 'failed' || run.status === 'timed_out');
}

export const STATUS_LABELS: Record<Status, string> = {
  queued: 'queued',
  pending: 'pending',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  timed_out: 'timed out',
  skipped: 'skipped'
};

/** A server time (UTC) shown in an IANA timezone, with the zone's abbreviation. */
export function formatInZone(
  iso: string | null | undefined,
  timezone: string
): string {
  if (!iso) {
    return '—';
  }
  const date = utcDate(iso);
  if (isNaN(date.getTime())) {
    return iso;
  }
  try {
    // dateStyle/timeStyle cannot be combined with timeZoneName: name the fields.
    return new Intl.DateTimeFormat(undefined, {
      timeZone: timezone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short'
    }).format(date);
  } catch {
    return date.toLocaleString();
  }
}

/** The next scheduled run in the stage's own timezone, or why there is none. */
export function nextFireText(stage: StageState): string {
  if (!stage.cron) {
    return 'runs only when started';
  }
  if (stage.paused) {
    return 'paused';
  }
  return stage.next_fire_at
    ? formatInZone(stage.next_fire_at, stage.timezone)
    : '—';
}

/** How long a run or step took (or has run so far): `42 s`, `3 min 5 s`. */
export function durationText(
  startedAt: string | null,
  finishedAt: string | null,
  now: number = Date.now()
): string {
  if (!startedAt) {
    return '—';
  }
  const end = finishedAt ? utcDate(finishedAt).getTime() : now;
  const seconds = Math.max(
    0,
    Math.round((end - utcDate(startedAt).getTime()) / 1000)
  );
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes} min ${seconds % 60} s`
    : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A random token: the same Run now click retried never starts a second run. */
export function newToken(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

/**
 * What a job list row says of a job's schedules: the soonest next fire among its
 * scheduled stages (`staging: 0 7 * * * · next Tue, 07:00 GMT+1`, in that stage's
 * timezone), else `paused` when every schedule is paused, else `manual`.
 */
export function jobScheduleText(stages: StageState[]): string {
  const deployed = stages.filter(s => s.version !== null && s.cron);
  const firing = deployed
    .filter(s => !s.paused && s.next_fire_at)
    .sort(
      (a, b) =>
        utcDate(a.next_fire_at!).getTime() - utcDate(b.next_fire_at!).getTime()
    );
  if (firing.length > 0) {
    const soonest = firing[0];
    return `${soonest.stage}: ${soonest.cron} · next ${nextFireText(soonest)}`;
  }
  return deployed.length > 0 ? 'schedules paused' : 'manual';
}

/**
 * What an audited event did, in words: `promote staging v1 → v2`, `pause dev v1`,
 * `schedule staging v1: 0 7 * * * in Europe/Paris`.
 */
export function eventText(event: JobEvent): string {
  const parts = [event.action];
  if (event.stage) {
    parts.push(event.stage);
  }
  const { version_from: from, version_to: to } = event;
  if (to !== null) {
    parts.push(from !== null && from !== to ? `v${from} → v${to}` : `v${to}`);
  }
  let text = parts.join(' ');
  if (event.action === 'schedule' && 'cron' in event.detail) {
    const cron = event.detail['cron'];
    text += cron
      ? `: ${String(cron)} in ${String(event.detail['timezone'])}`
      : ': manual';
  }
  return text;
}

/** The gates' verdicts a promotion recorded: `✓ recent runs: 3 of 3 succeeded`. */
export function gateLines(event: JobEvent): string[] {
  const gates = event.detail['gates'];
  return Array.isArray(gates)
    ? (gates as GateResult[]).map(
        gate => `${gate.passed ? '✓' : '✗'} ${gate.name}: ${gate.reason}`
      )
    : [];
}
