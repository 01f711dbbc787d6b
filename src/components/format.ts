/** Small display helpers shared by panels and renderers. */

/** A metric or statistic in four significant digits, without trailing zeros (`5.1`, not
 * `5.100`); very large or small values in exponent form (`1.25e+6`). */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (Number.isInteger(value)) {
    return String(value);
  }
  const text =
    Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3
      ? value.toExponential(3)
      : value.toPrecision(4);
  return text.replace(/\.?0+(?=e|$)/, '');
}

/** A share as a percentage: `50%`, `33.3%`; `—` when there is none. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined) {
    return '—';
  }
  const percent = share * 100;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}

export function formatTime(ms: number | null | undefined): string {
  return ms ? new Date(ms).toLocaleString() : '—';
}

export function shortId(runId: string): string {
  return runId.slice(0, 8);
}

/** A byte count for people: `812 B`, `14.2 KB`, `3.1 MB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) {
    return '—';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** An ISO date-time from the server, in the user's locale. */
export function formatIsoTime(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const ms = Date.parse(iso);
  return isNaN(ms) ? iso : new Date(ms).toLocaleString();
}

/** The server's times are UTC without an offset: read them as UTC. */
export function utcDate(iso: string): Date {
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
}

/** A server time in the user's locale. */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const date = utcDate(iso);
  return isNaN(date.getTime()) ? iso : date.toLocaleString();
}
