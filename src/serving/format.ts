/**
 * Words and numbers of the Serving panel, and the parsing of its forms, as pure functions.
 */
import {
  DeployRequest,
  EndpointSummary,
  RolloutInfo,
  RolloutMode,
  RolloutRequest,
  RolloutRules,
  ServingEvent,
  TrafficFigures
} from '../api/client';
import { formatNumber, formatShare } from '../components/format';

export { formatShare, formatUtc, utcDate } from '../components/format';

/** The arms of an endpoint, as the router names them in its traffic figures. */
export const ARMS = ['champion', 'challenger'] as const;
export type Arm = (typeof ARMS)[number];

/** What the list and the page say of an endpoint. */
export type EndpointState = 'serving' | 'stopped' | 'unreachable';

export function endpointState(summary: EndpointSummary): EndpointState {
  if (!summary.running) {
    return 'stopped';
  }
  return summary.status ? 'serving' : 'unreachable';
}

/** A version as people read it: `v3`; `—` when none answers. */
export function versionText(version: string | null | undefined): string {
  return version ? `v${version}` : '—';
}

/** What an endpoint serves: `cancer@champion`, or `cancer` with a fixed version. */
export function modelText(summary: EndpointSummary): string {
  const status = summary.status;
  if (!status) {
    return summary.model ?? '—';
  }
  return status.alias ? `${status.model}@${status.alias}` : status.model;
}

/** Requests per minute from the router's rate per second: `42/min`. */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined) {
    return '—';
  }
  const perMinute = perSecond * 60;
  return `${formatNumber(perMinute >= 10 ? Math.round(perMinute) : Number(perMinute.toFixed(1)))}/min`;
}

/** A latency: `3.2 ms`; `—` when nothing was measured. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) {
    return '—';
  }
  return `${formatNumber(ms >= 100 ? Math.round(ms) : Number(ms.toFixed(1)))} ms`;
}

/** A logged answer as short as it reads: MLflow's `{"predictions": [0, 0]}` as `[0,0]`. */
export function predictionText(answer: string): string {
  try {
    const parsed: unknown = JSON.parse(answer);
    if (parsed && typeof parsed === 'object' && 'predictions' in parsed) {
      return JSON.stringify((parsed as { predictions: unknown }).predictions);
    }
  } catch {
    // Not JSON (an error's text): shown as it is.
  }
  return answer;
}

/** One arm's row of the traffic table. */
export interface IArmRow {
  arm: Arm;
  version: string | null;
  figures: TrafficFigures | null;
}

/**
 * The arms to show: the champion always; the challenger while a rollout runs, or while
 * its last minute still has figures (after a rollback, what rolled it back).
 */
export function armRows(
  version: string | null,
  rollout: RolloutInfo | null,
  traffic: Record<string, TrafficFigures> = {},
  rolledBackVersion: string | null = null
): IArmRow[] {
  const rows: IArmRow[] = [
    { arm: 'champion', version, figures: traffic.champion ?? null }
  ];
  const challenger = traffic.challenger ?? null;
  if (rollout || (challenger && challenger.requests > 0)) {
    rows.push({
      arm: 'challenger',
      version: rollout?.version ?? rolledBackVersion,
      figures: challenger
    });
  }
  return rows;
}

/** A rollout in words: `canary of cancer/3 (v3) on 50% of requests`. */
export function rolloutText(rollout: RolloutInfo): string {
  const what = `${rollout.mode} of ${rollout.challenger} (${versionText(rollout.version)})`;
  return rollout.mode === 'canary'
    ? `${what} on ${formatNumber(rollout.percent ?? 0)}% of requests`
    : `${what}: a copy of every request, its answers only compared`;
}

/** The rules that roll a challenger back, in words. */
export function rulesText(rules: RolloutRules): string[] {
  const limits: string[] = [];
  if (rules.max_error_rate !== null && rules.max_error_rate !== undefined) {
    limits.push(`error rate ≤ ${formatShare(rules.max_error_rate)}`);
  }
  if (rules.max_p99_ms !== null && rules.max_p99_ms !== undefined) {
    limits.push(`p99 ≤ ${formatMs(rules.max_p99_ms)}`);
  }
  if (rules.max_disagreement !== null && rules.max_disagreement !== undefined) {
    limits.push(`disagreement ≤ ${formatShare(rules.max_disagreement)}`);
  }
  if (limits.length === 0) {
    return ['no rule: only an abort ends it'];
  }
  return [
    ...limits,
    `over ${formatNumber(rules.window_s)} s, from ${rules.min_requests} requests`
  ];
}

/** What an audited action did: `canary v3 (champion v1)`, `rollback of v3`. */
export function eventText(event: ServingEvent): string {
  const from = versionText(event.version_from);
  const to = versionText(event.version_to);
  switch (event.action) {
    case 'deploy':
      return `deploy ${String(event.detail.model ?? event.model)}`;
    case 'stop':
      return 'stop';
    case 'shadow':
    case 'canary':
      return `${event.action} of ${to} (champion ${from})`;
    case 'promote':
      return `promote ${to} (was ${from})`;
    case 'abort':
      return `abort ${from}`;
    case 'rollback':
      return `rollback of ${from}`;
    case 'switch':
      return `switch ${from} → ${to}`;
    default:
      return `${event.action} ${from} → ${to}`;
  }
}

/** The lines under an audited action: its reason. */
export function eventNotes(event: ServingEvent): string[] {
  const reason = event.detail.reason;
  return typeof reason === 'string' && reason ? [reason] : [];
}

/** What the Deploy form holds, as typed. */
export interface IDeployForm {
  model: string;
  name: string;
  port: string;
}

const MODEL_REF = /^[^\s@/]+(@[^\s@/]+|\/\d+)$/;

/** The deploy request of a form, or what is wrong with it. */
export function parseDeployForm(form: IDeployForm): DeployRequest | string {
  const model = form.model.trim();
  if (!MODEL_REF.test(model)) {
    return 'Give the model as NAME@ALIAS (follows the alias) or NAME/VERSION.';
  }
  const request: DeployRequest = { model };
  const name = form.name.trim();
  if (name) {
    request.name = name; // the server says what a name may be
  }
  const port = form.port.trim();
  if (port) {
    const value = Number(port);
    if (!Number.isInteger(value) || value < 1024 || value > 65535) {
      return 'The port is a whole number from 1024 to 65535 (empty: a free one).';
    }
    request.port = value;
  }
  return request;
}

/** What the rollout form holds, as typed; empty rule fields keep the server's defaults. */
export interface IRolloutForm {
  challenger: string;
  percent: string;
  maxErrorRate: string;
  maxP99Ms: string;
  maxDisagreement: string;
  minRequests: string;
  windowS: string;
}

export function emptyRolloutForm(): IRolloutForm {
  return {
    challenger: '',
    percent: '10',
    maxErrorRate: '',
    maxP99Ms: '',
    maxDisagreement: '',
    minRequests: '',
    windowS: ''
  };
}

type NumberCheck = (value: number) => boolean;

const RULE_FIELDS: {
  field: keyof IRolloutForm;
  rule: keyof RolloutRules;
  label: string;
  valid: NumberCheck;
  expected: string;
}[] = [
  {
    field: 'maxErrorRate',
    rule: 'max_error_rate',
    label: 'Max error rate',
    valid: v => v >= 0 && v <= 1,
    expected: 'a share from 0 to 1'
  },
  {
    field: 'maxP99Ms',
    rule: 'max_p99_ms',
    label: 'Max p99 (ms)',
    valid: v => v > 0,
    expected: 'milliseconds above 0'
  },
  {
    field: 'maxDisagreement',
    rule: 'max_disagreement',
    label: 'Max disagreement',
    valid: v => v >= 0 && v <= 1,
    expected: 'a share from 0 to 1'
  },
  {
    field: 'minRequests',
    rule: 'min_requests',
    label: 'Min requests',
    valid: v => Number.isInteger(v) && v >= 1,
    expected: 'a whole number from 1'
  },
  {
    field: 'windowS',
    rule: 'window_s',
    label: 'Window (s)',
    valid: v => v > 0 && v <= 86400,
    expected: 'seconds above 0, at most a day'
  }
];

/** The rule fields of the rollout form, in the order it shows them. */
export const ROLLOUT_RULE_FIELDS = RULE_FIELDS.map(({ field, label }) => ({
  field,
  label
}));

/** The rollout request of a form, or what is wrong with it. */
export function parseRolloutForm(
  mode: RolloutMode,
  form: IRolloutForm
): RolloutRequest | string {
  const challenger = form.challenger.trim();
  if (!MODEL_REF.test(challenger)) {
    return 'Give the challenger as NAME@ALIAS or NAME/VERSION of the endpoint’s model.';
  }
  const request: RolloutRequest = { mode, challenger };
  if (mode === 'canary') {
    const percent = Number(form.percent.trim());
    if (!form.percent.trim() || !(percent > 0 && percent < 100)) {
      return 'A canary’s percent of traffic is above 0 and below 100.';
    }
    request.percent = percent;
  }
  const rules: Partial<RolloutRules> = {};
  for (const { field, rule, label, valid, expected } of RULE_FIELDS) {
    const text = form[field].trim();
    if (!text) {
      continue;
    }
    const value = Number(text);
    if (isNaN(value) || !valid(value)) {
      return `${label}: ${expected}.`;
    }
    rules[rule] = value;
  }
  if (Object.keys(rules).length > 0) {
    request.rules = rules;
  }
  return request;
}
