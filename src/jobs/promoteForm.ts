/**
 * The promote dialog's form as plain values, and how its execution options become the
 * job options the server takes (or a message naming the field that is not valid).
 */
import { JobOptions } from '../api/client';

export interface IPromoteForm {
  name: string;
  scheduled: boolean;
  cron: string;
  timezone: string;
  kernel: string;
  timeout: string;
  retries: string;
  backoff: string;
  notify: boolean;
}

/** The job name a notebook suggests: its file name without `.ipynb`. */
export function defaultJobName(path: string): string {
  const file = path.split('/').pop() ?? path;
  return file.replace(/\.ipynb$/i, '');
}

export function browserTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The form a notebook's dialog starts with: manual, in the browser's timezone. */
export function initialForm(path: string, kernel: string): IPromoteForm {
  return {
    name: defaultJobName(path),
    scheduled: false,
    cron: '0 6 * * *',
    timezone: browserTimezone(),
    kernel,
    timeout: '',
    retries: '0',
    backoff: '30',
    notify: true
  };
}

export type ReadOptions =
  { ok: true; options: JobOptions } | { ok: false; error: string };

/** The execution options as the server takes them; empty timeout: none. */
export function readOptions(form: IPromoteForm): ReadOptions {
  const timeout = form.timeout.trim() === '' ? null : Number(form.timeout);
  const retries = Number(form.retries.trim() || '0');
  const backoff = Number(form.backoff.trim() || '0');
  if (timeout !== null && !(timeout > 0 && Number.isFinite(timeout))) {
    return {
      ok: false,
      error: 'Timeout must be a positive number of seconds (or empty: none).'
    };
  }
  if (!Number.isInteger(retries) || retries < 0) {
    return { ok: false, error: 'Retries must be a whole number ≥ 0.' };
  }
  if (!Number.isFinite(backoff) || backoff < 0) {
    return { ok: false, error: 'Backoff must be a number of seconds ≥ 0.' };
  }
  return {
    ok: true,
    options: {
      kernel: form.kernel.trim() || null,
      timeout_s: timeout,
      retries,
      retry_backoff_s: backoff,
      notify_on_failure: form.notify,
      missed_policy: 'skip'
    }
  };
}
