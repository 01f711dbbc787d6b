/** Small display helpers shared by panels and renderers. */

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (Number.isInteger(value)) {
    return String(value);
  }
  return Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3
    ? value.toExponential(3)
    : value.toPrecision(4);
}

export function formatTime(ms: number | null | undefined): string {
  return ms ? new Date(ms).toLocaleString() : '—';
}

export function shortId(runId: string): string {
  return runId.slice(0, 8);
}
