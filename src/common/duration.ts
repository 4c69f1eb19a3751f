/**
 * Prometheus / Alertmanager durations: `[0-9]+(ms|s|m|h|d|w|y)` units, concatenated from the
 * largest unit down (`1h30m`, `500ms`, `0s`). A year is 365 days, a day 24 hours, as Prometheus
 * counts them.
 */
const UNIT_MS: Record<string, number> = {
  y: 365 * 24 * 3600 * 1000,
  w: 7 * 24 * 3600 * 1000,
  d: 24 * 3600 * 1000,
  h: 3600 * 1000,
  m: 60 * 1000,
  s: 1000,
  ms: 1,
};
const ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

export class DurationError extends Error {}

/** Milliseconds in a duration string; throws DurationError naming the expected form. */
export function parseDuration(input: string): number {
  const text = input.trim();
  if (text === '0') return 0;
  const m = DURATION_RE.exec(text);
  if (!m || text === '') {
    throw new DurationError(`"${input}" is not a duration; use a number and a unit such as 30s, 5m, 1h30m, 500ms (units: ms, s, m, h, d, w, y)`);
  }
  let total = 0;
  ORDER.forEach((unit, i) => {
    const v = m[i + 1];
    if (v !== undefined) total += Number(v) * UNIT_MS[unit];
  });
  return total;
}

export function isDuration(input: string): boolean {
  try {
    parseDuration(input);
    return true;
  } catch {
    return false;
  }
}

/** The shortest Prometheus form of a duration (`5m`, `1h30m`, `0s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ORDER) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_MS[unit];
    }
  }
  return out;
}
