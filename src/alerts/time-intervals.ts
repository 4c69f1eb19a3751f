/**
 * Time intervals with the semantics of Alertmanager's `timeinterval` package, for a route's
 * `mute_time_intervals` and `active_time_intervals`.
 *
 * A TimeInterval contains an instant when every field it sets matches the wall-clock time in
 * its `location` (an IANA zone; UTC when unset; `Local` is the process's zone):
 * - `times`: `start_time`–`end_time` as `HH:MM`, end exclusive, `24:00` allowed as an end;
 * - `weekdays`: names or ranges (`monday:friday`), case-insensitive, inclusive;
 * - `days_of_month`: numbers or ranges, negative counting from the end (`-1` = last day,
 *   `-3:-1` = last three days), clamped to the month's length;
 * - `months`: names or numbers (1 = January) or ranges;
 * - `years`: numbers or ranges.
 * An unset field matches everything; a set field matches when any of its ranges does. A
 * named interval (`time_intervals: [{ name, time_intervals: [...] }]`) is active when any of
 * its TimeIntervals contains the instant.
 *
 * Wall time comes from `Intl.DateTimeFormat`, so DST transitions are those of the zone database.
 * Days-in-month is the calendar count (Alertmanager derives it from elapsed hours, which in a
 * month that springs forward makes `-1` mean the day before the last one; Tocsin does not copy that).
 */

export interface TimeRangeConfig {
  start_time: string;
  end_time: string;
}

export interface TimeIntervalConfig {
  times?: readonly TimeRangeConfig[] | null;
  weekdays?: readonly string[] | null;
  days_of_month?: readonly (string | number)[] | null;
  months?: readonly (string | number)[] | null;
  years?: readonly (string | number)[] | null;
  location?: string | null;
}

export interface NamedTimeIntervalConfig {
  name: string;
  time_intervals: readonly TimeIntervalConfig[];
}

export class TimeIntervalConfigError extends Error {
  override readonly name = 'TimeIntervalConfigError';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

interface Range {
  begin: number;
  end: number;
}

const WEEKDAYS: Record<string, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6,
  july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};
const SHORT_WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const TIME_RE = /^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

function parseInteger(s: string): number | null {
  return /^[+-]?[0-9]+$/.test(s) ? Number(s) : null;
}

function parseRange(raw: string | number, member: (s: string) => number | null, what: string, path: string): Range {
  const text = String(raw).toLowerCase().trim();
  const parts = text.includes(':') ? text.split(':') : [text, text];
  if (parts.length !== 2) throw new TimeIntervalConfigError(path, `couldn't parse range "${raw}", invalid format`);
  const [b, e] = parts.map((p) => member(p));
  if (b === null) throw new TimeIntervalConfigError(path, `"${parts[0]}" is not a valid ${what}`);
  if (e === null) throw new TimeIntervalConfigError(path, `"${parts[1]}" is not a valid ${what}`);
  return { begin: b, end: e };
}

function parseClock(s: string, path: string): number {
  if (!TIME_RE.test(s)) throw new TimeIntervalConfigError(path, `couldn't parse timestamp "${s}", expected HH:MM between 00:00 and 24:00`);
  const [h, m] = s.split(':').map(Number);
  return h * 60 + m;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(location: string | undefined): Intl.DateTimeFormat {
  const key = location ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: location,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(key, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone (undefined: the process's zone). */
export function wallTime(at: Date, location: string | undefined): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(location).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: SHORT_WEEKDAY[parts.weekday],
    minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function inAny(ranges: readonly Range[] | null, value: number): boolean {
  if (ranges === null) return true;
  return ranges.some((r) => value >= r.begin && value <= r.end);
}

export class TimeInterval {
  private constructor(
    /** Minutes of the day, end exclusive. */
    readonly times: readonly Range[] | null,
    readonly weekdays: readonly Range[] | null,
    readonly daysOfMonth: readonly Range[] | null,
    readonly months: readonly Range[] | null,
    readonly years: readonly Range[] | null,
    /** IANA zone (`UTC` when the config sets none); undefined for `Local`, the process's zone. */
    readonly location: string | undefined,
  ) {}

  /** Validates and compiles one `time_intervals[]` entry; throws TimeIntervalConfigError with its path. */
  static parse(config: TimeIntervalConfig, path = 'time_intervals[0].time_intervals[0]'): TimeInterval {
    const times = config.times
      ? config.times.map((t, i) => {
          const p = `${path}.times[${i}]`;
          if (!t || !t.start_time || !t.end_time) throw new TimeIntervalConfigError(p, 'both start and end times must be provided');
          const begin = parseClock(String(t.start_time), `${p}.start_time`);
          const end = parseClock(String(t.end_time), `${p}.end_time`);
          if (begin >= end) throw new TimeIntervalConfigError(p, 'start time cannot be equal or greater than end time');
          return { begin, end };
        })
      : null;

    const weekdays = config.weekdays
      ? config.weekdays.map((w, i) => {
          const p = `${path}.weekdays[${i}]`;
          const r = parseRange(w, (s) => (s in WEEKDAYS ? WEEKDAYS[s] : null), 'weekday', p);
          if (r.begin > r.end) throw new TimeIntervalConfigError(p, 'start day cannot be after end day');
          return r;
        })
      : null;

    const daysOfMonth = config.days_of_month
      ? config.days_of_month.map((d, i) => {
          const p = `${path}.days_of_month[${i}]`;
          const r = parseRange(d, parseInteger, 'day of the month', p);
          for (const v of [r.begin, r.end]) {
            if (v === 0 || v < -31 || v > 31) throw new TimeIntervalConfigError(p, `${v} is not a valid day of the month: out of range`);
          }
          if (r.begin < 0 && r.end > 0) throw new TimeIntervalConfigError(p, 'end day must be negative if start day is negative');
          const checkBegin = r.begin < 0 ? 28 + r.begin : r.begin;
          const checkEnd = r.end < 0 ? 28 + r.end : r.end;
          if (checkBegin > checkEnd) throw new TimeIntervalConfigError(p, `end day ${r.end} is always before start day ${r.begin}`);
          return r;
        })
      : null;

    const months = config.months
      ? config.months.map((m, i) => {
          const p = `${path}.months[${i}]`;
          const r = parseRange(m, (s) => (s in MONTHS ? MONTHS[s] : parseInteger(s)), 'month', p);
          if (r.begin < 1 || r.begin > 12 || r.end < 1 || r.end > 12) throw new TimeIntervalConfigError(p, `${m} is not a valid month: out of range`);
          if (r.begin > r.end) throw new TimeIntervalConfigError(p, 'end month is before start month');
          return r;
        })
      : null;

    const years = config.years
      ? config.years.map((y, i) => {
          const p = `${path}.years[${i}]`;
          const r = parseRange(y, parseInteger, 'year', p);
          if (r.begin > r.end) throw new TimeIntervalConfigError(p, `end year ${r.end} is before start year ${r.begin}`);
          return r;
        })
      : null;

    let location: string | undefined = 'UTC';
    if (config.location !== undefined && config.location !== null && config.location !== '') {
      if (config.location === 'Local') {
        location = undefined;
      } else {
        try {
          formatterFor(config.location);
        } catch {
          throw new TimeIntervalConfigError(`${path}.location`, `unknown time zone ${config.location}`);
        }
        location = config.location;
      }
    }
    return new TimeInterval(times, weekdays, daysOfMonth, months, years, location);
  }

  /** Whether the instant falls inside this interval (Alertmanager's `ContainsTime`). */
  contains(at: Date): boolean {
    const t = wallTime(at, this.location);
    if (!inAny(this.times && this.times.map((r) => ({ begin: r.begin, end: r.end - 1 })), t.minuteOfDay)) return false;
    if (this.daysOfMonth !== null) {
      const dim = daysInMonth(t.year, t.month);
      const hit = this.daysOfMonth.some((r) => {
        let begin = r.begin < 0 ? dim + r.begin + 1 : r.begin;
        let end = r.end < 0 ? dim + r.end + 1 : r.end;
        if (begin > dim) return false;
        begin = Math.max(-dim, Math.min(begin, dim));
        end = Math.max(-dim, Math.min(end, dim));
        return t.day >= begin && t.day <= end;
      });
      if (!hit) return false;
    }
    if (!inAny(this.months, t.month)) return false;
    if (!inAny(this.weekdays, t.weekday)) return false;
    if (!inAny(this.years, t.year)) return false;
    return true;
  }
}

/** Compiles the config's `time_intervals` (and legacy `mute_time_intervals`) into a map by name. */
export function parseTimeIntervals(named: readonly NamedTimeIntervalConfig[], section = 'time_intervals'): Map<string, TimeInterval[]> {
  const out = new Map<string, TimeInterval[]>();
  named.forEach((n, i) => {
    if (out.has(n.name)) throw new TimeIntervalConfigError(`${section}[${i}].name`, `time interval "${n.name}" is defined twice`);
    out.set(
      n.name,
      (n.time_intervals ?? []).map((ti, j) => TimeInterval.parse(ti, `${section}[${i}].time_intervals[${j}]`)),
    );
  });
  return out;
}

/** Whether any of the intervals contains the instant. */
export function isActive(intervals: readonly TimeInterval[], at: Date): boolean {
  return intervals.some((ti) => ti.contains(at));
}

export class UnknownTimeIntervalError extends Error {
  override readonly name = 'UnknownTimeIntervalError';
}

function anyNamedActive(names: readonly string[], named: ReadonlyMap<string, readonly TimeInterval[]>, at: Date): boolean {
  return names.some((name) => {
    const intervals = named.get(name);
    if (!intervals) throw new UnknownTimeIntervalError(`time interval "${name}" does not exist`);
    return isActive(intervals, at);
  });
}

/**
 * Whether notifications of a route are held back at `at`: muted when one of its
 * `mute_time_intervals` is active, or when it lists `active_time_intervals` and none is active.
 * An unknown interval name throws UnknownTimeIntervalError (the config check rejects those).
 */
export function isMuted(
  route: { readonly muteTimeIntervals: readonly string[]; readonly activeTimeIntervals: readonly string[] },
  namedIntervals: ReadonlyMap<string, readonly TimeInterval[]>,
  at: Date,
): boolean {
  if (route.muteTimeIntervals.length > 0 && anyNamedActive(route.muteTimeIntervals, namedIntervals, at)) return true;
  if (route.activeTimeIntervals.length > 0 && !anyNamedActive(route.activeTimeIntervals, namedIntervals, at)) return true;
  return false;
}
