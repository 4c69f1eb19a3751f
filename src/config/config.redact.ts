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

/** The running config as YAML with every secret replaced by `<secret>` (for /api/v2/status). */
export function redactConfig(config: TocsinConfig): string {
  return YAML.stringify(redact(config, null), { lineWidth: 0 });
}
