import type { FieldError } from '../common/app-error.js';
import { type IncomingAlert, IngestSource } from './alert.types.js';

/**
 * Validation of Alertmanager's postable alerts, one alert at a time: each alert is accepted or
 * rejected whole, and every fault of a rejected alert is named by index and field
 * (`[3].labels.foo bar`). Labels with an empty value are dropped before anything else, as
 * Alertmanager drops them; Go's zero time (`0001-01-01T00:00:00Z`) means "not set".
 */

export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Go's `time.Time{}` as JSON; amtool and Alertmanager send it for "no time". */
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

export interface ParsedBatch {
  alerts: IncomingAlert[];
  /** Faults of the rejected alerts; empty when every alert was accepted. */
  errors: FieldError[];
  /** How many alerts the body held. */
  total: number;
}

export class MalformedBatchError extends Error {
  override readonly name = 'MalformedBatchError';

  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** A lone UTF-16 surrogate: not a character, so not UTF-8 (with the u flag a pair is one code point). */
const LONE_SURROGATE_RE = /\p{Cs}/u;

/**
 * Why a string cannot be stored as alert text, or null when it can. PostgreSQL text and jsonb
 * cannot hold U+0000, and a lone surrogate (`"\ud800"` in JSON) is not valid UTF-8.
 */
export function unstorableText(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE_RE.test(value)) return 'must be valid UTF-8 (a lone UTF-16 surrogate is not a character)';
  return null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An RFC 3339 time, null for absent/null/Go zero time, or an error message. */
export function parseTime(value: unknown): { ok: true; value: Date | null } | { ok: false; message: string } {
  if (value === undefined || value === null || value === '') return { ok: true, value: null };
  if (typeof value !== 'string') return { ok: false, message: 'must be an RFC 3339 date-time string' };
  if (!RFC3339_RE.test(value)) return { ok: false, message: `"${value}" is not an RFC 3339 date-time` };
  const normalised = value.replace(' ', 'T');
  const ms = Date.parse(normalised);
  if (Number.isNaN(ms)) return { ok: false, message: `"${value}" is not a valid date-time` };
  if (ms <= GO_ZERO_TIME_MS) return { ok: true, value: null };
  return { ok: true, value: new Date(ms) };
}

function parseStringMap(value: unknown, path: string, errors: FieldError[], what: 'label' | 'annotation'): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPlainObject(value)) {
    errors.push({ path, message: `${what}s must be an object of names to string values` });
    return out;
  }
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      errors.push({ path: `${path}.${name}`, message: `${what} value must be a string, got ${v === null ? 'null' : typeof v}` });
      continue;
    }
    // An empty value means "no such label": dropped before the name is even looked at.
    if (v === '') continue;
    if (what === 'label' && !LABEL_NAME_RE.test(name)) {
      errors.push({ path: `${path}.${name}`, message: `invalid label name "${name}": must match [a-zA-Z_][a-zA-Z0-9_]*` });
      continue;
    }
    if (what === 'annotation' && name === '') {
      errors.push({ path: `${path}.${name}`, message: 'annotation name must not be empty' });
      continue;
    }
    const bad = unstorableText(name) ?? unstorableText(v);
    if (bad) {
      errors.push({ path: `${path}.${name}`, message: `${what} name and value ${bad}` });
      continue;
    }
    out[name] = v;
  }
  return out;
}

/** One postable alert, or the faults that reject it. */
export function parseOneAlert(raw: unknown, index: number, prefix: string): { alert: IncomingAlert | null; errors: FieldError[] } {
  const at = `${prefix}[${index}]`;
  const errors: FieldError[] = [];
  if (!isPlainObject(raw)) return { alert: null, errors: [{ path: at, message: 'must be an alert object' }] };

  let labels: Record<string, string> = {};
  if (raw.labels === undefined || raw.labels === null) {
    errors.push({ path: `${at}.labels`, message: 'labels are required' });
  } else {
    const before = errors.length;
    labels = parseStringMap(raw.labels, `${at}.labels`, errors, 'label');
    if (errors.length === before && Object.keys(labels).length === 0) {
      errors.push({ path: `${at}.labels`, message: 'an alert needs at least one label with a non-empty value' });
    }
  }
  const annotations = raw.annotations === undefined || raw.annotations === null ? {} : parseStringMap(raw.annotations, `${at}.annotations`, errors, 'annotation');

  const starts = parseTime(raw.startsAt);
  if (!starts.ok) errors.push({ path: `${at}.startsAt`, message: starts.message });
  const ends = parseTime(raw.endsAt);
  if (!ends.ok) errors.push({ path: `${at}.endsAt`, message: ends.message });
  if (starts.ok && ends.ok && starts.value && ends.value && ends.value.getTime() < starts.value.getTime()) {
    errors.push({ path: `${at}.endsAt`, message: 'endsAt must not be before startsAt' });
  }

  let generatorURL = '';
  if (raw.generatorURL !== undefined && raw.generatorURL !== null) {
    if (typeof raw.generatorURL !== 'string') errors.push({ path: `${at}.generatorURL`, message: 'must be a string' });
    else if (unstorableText(raw.generatorURL)) errors.push({ path: `${at}.generatorURL`, message: unstorableText(raw.generatorURL) as string });
    else generatorURL = raw.generatorURL;
  }

  if (errors.length > 0) return { alert: null, errors };
  return {
    alert: {
      index,
      labels,
      annotations,
      startsAt: starts.ok ? starts.value : null,
      endsAt: ends.ok ? ends.value : null,
      generatorURL,
    },
    errors: [],
  };
}

function parseList(list: readonly unknown[], prefix: string): ParsedBatch {
  const alerts: IncomingAlert[] = [];
  const errors: FieldError[] = [];
  list.forEach((raw, i) => {
    const r = parseOneAlert(raw, i, prefix);
    if (r.alert) alerts.push(r.alert);
    errors.push(...r.errors);
  });
  return { alerts, errors, total: list.length };
}

/** `POST /api/v2/alerts` and `/api/v1/alerts`: a JSON array of Alertmanager postable alerts. */
export function parsePostableAlerts(body: unknown): ParsedBatch {
  if (!Array.isArray(body)) throw new MalformedBatchError('(body)', 'the body must be a JSON array of alerts');
  return parseList(body, '');
}

export interface WebhookBatch extends ParsedBatch {
  source: IngestSource.AlertmanagerWebhook | IngestSource.Grafana;
}

/**
 * Alertmanager's webhook payload (version "4") or Grafana's (a superset, version "1"). A
 * resolved alert without `endsAt` ends when it arrives (`now`).
 */
export function parseWebhookPayload(body: unknown, now: Date): WebhookBatch {
  if (!isPlainObject(body)) throw new MalformedBatchError('(body)', 'the body must be an Alertmanager or Grafana webhook payload object');
  if (!Array.isArray(body.alerts)) throw new MalformedBatchError('alerts', 'alerts must be an array');
  const grafana = body.version !== '4' && ('orgId' in body || 'state' in body || 'title' in body || 'message' in body);
  const batch = parseList(body.alerts, 'alerts');
  const rawAlerts = body.alerts as unknown[];
  for (const alert of batch.alerts) {
    const raw = rawAlerts[alert.index] as Record<string, unknown>;
    if (raw.status === 'resolved' && alert.endsAt === null) alert.endsAt = now;
    if (raw.status === 'firing' && alert.endsAt !== null && alert.endsAt.getTime() <= now.getTime()) alert.endsAt = null;
  }
  return { ...batch, source: grafana ? IngestSource.Grafana : IngestSource.AlertmanagerWebhook };
}
