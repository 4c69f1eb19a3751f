import YAML from 'yaml';
import type { TocsinConfig } from './config.types.js';

export const SECRET_PLACEHOLDER = '<secret>';

/** Keys whose values are secrets wherever they appear in the typed config. */
const SECRET_KEYS = new Set([
  'api_url',
  'slack_api_url',
  'routing_key',
  'service_key',
  'auth_token',
  'api_key',
  'password',
  'smtp_auth_password',
  'bot_token',
  'slack_app_token',
  'credentials',
  'url',
]);

/** `scheme://user:password@` at the start of a URL that is not itself a secret key (`base_url`, `events_url`, …). */
const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i;

function isTemplateField(v: object): v is { source: string | null; compiled: unknown } {
  return 'source' in v && 'compiled' in v && Object.keys(v).length === 2;
}

function redact(value: unknown, key: string | null): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (key !== null && SECRET_KEYS.has(key) && typeof value === 'string') return value === '' ? '' : SECRET_PLACEHOLDER;
  if (typeof value === 'string') return value.replace(URL_USERINFO, `$1${SECRET_PLACEHOLDER}@`);
  if (Array.isArray(value)) return value.map((v) => redact(v, null));
  if (typeof value === 'object') {
    if (isTemplateField(value)) return value.source;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, k);
    return out;
  }
  return value;
}

/** The file text (after `${VAR}` expansion) each loaded config came from. */
const SOURCES = new WeakMap<TocsinConfig, string>();

/** Called by the loader: `config` was loaded from `expandedText`. */
export function rememberConfigSource(config: TocsinConfig, expandedText: string): void {
  SOURCES.set(config, expandedText);
}

/**
 * A secret URL keeps its scheme and host, so that Alertmanager's URL-typed keys (webhook and
 * PagerDuty `url`) still parse where `<secret>` alone would not; anything else is `<secret>`.
 */
function redactSecretValue(value: string): string {
  if (value === '') return '';
  try {
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:') return `${u.protocol}//${u.host}/${SECRET_PLACEHOLDER}`;
  } catch {
    // not a URL
  }
  return SECRET_PLACEHOLDER;
}

/**
 * Secret keys of Alertmanager's and Prometheus' schemas that Tocsin does not use (each gave a
 * warning, or an error for an unsupported integration) but that a file may still hold.
 */
const UNUSED_SECRET_KEYS = new Set([
  'bearer_token',
  'client_secret',
  'auth_secret',
  'smtp_auth_secret',
  'auth_password',
  'token',
  'user_key',
  'webhook_url',
  'app_token',
  'key',
]);

/** The file as written, secrets replaced, comments dropped (they may hold anything). */
function redactSource(value: unknown, key: string | null): unknown {
  // http_config.http_headers.<name>.secrets and proxy_connect_header.<name>: credentials.
  if (key === 'secrets' && Array.isArray(value)) return value.map(() => SECRET_PLACEHOLDER);
  if (key === 'proxy_connect_header' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.keys(value).map((h) => [h, [SECRET_PLACEHOLDER]]));
  }
  if (typeof value === 'string') {
    if (key !== null && (SECRET_KEYS.has(key) || UNUSED_SECRET_KEYS.has(key))) return redactSecretValue(value);
    return value.replace(URL_USERINFO, `$1${SECRET_PLACEHOLDER}@`);
  }
  if (Array.isArray(value)) return value.map((v) => redactSource(v, null));
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactSource(v, k);
  return out;
}

/**
 * The running config as YAML with every secret replaced by `<secret>` (for /api/v2/status's
 * `config.original`): the file as the operator wrote it, like Alertmanager's, so that amtool
 * (`config routes` without a file) and Grafana can load an Alertmanager config back from it;
 * the built-in default config, which has no file, as Tocsin holds it.
 */
export function redactConfig(config: TocsinConfig): string {
  const source = SOURCES.get(config);
  if (source !== undefined) {
    const data: unknown = YAML.parse(source, { maxAliasCount: 1000 }) ?? {};
    return YAML.stringify(redactSource(data, null), { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' });
  }
  return YAML.stringify(redact(config, null), { lineWidth: 0 });
}
