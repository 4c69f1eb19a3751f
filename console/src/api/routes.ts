/**
 * Every API route the console calls, with its method and OpenAPI path template. The client builds
 * its requests only from these entries, and test/browser/console-api.e2e-spec.ts checks each one
 * against the running service's OpenAPI document (plus the public /readyz, which the document omits).
 */
export const ENDPOINTS = {
  whoami: { method: 'GET', path: '/api/v1/auth/whoami' },
  alerts: { method: 'GET', path: '/api/v1/alerts' },
  silences: { method: 'GET', path: '/api/v1/silences' },
  createSilence: { method: 'POST', path: '/api/v1/silences' },
  expireSilence: { method: 'DELETE', path: '/api/v1/silences/{id}' },
  deliveries: { method: 'GET', path: '/api/v1/deliveries' },
  deliveryStats: { method: 'GET', path: '/api/v1/deliveries/stats' },
  delivery: { method: 'GET', path: '/api/v1/deliveries/{id}' },
  poison: { method: 'GET', path: '/api/v1/poison' },
  replayOne: { method: 'POST', path: '/api/v1/poison/{id}/replay' },
  bulkReplay: { method: 'POST', path: '/api/v1/poison/replay' },
  discard: { method: 'POST', path: '/api/v1/poison/{id}/discard' },
  sendingState: { method: 'GET', path: '/api/v1/ops/deliveries' },
  pause: { method: 'POST', path: '/api/v1/ops/deliveries/pause' },
  resume: { method: 'POST', path: '/api/v1/ops/deliveries/resume' },
  slo: { method: 'GET', path: '/api/v1/slo' },
  heartbeats: { method: 'GET', path: '/api/v1/heartbeats' },
  keys: { method: 'GET', path: '/api/v1/keys' },
  createKey: { method: 'POST', path: '/api/v1/keys' },
  rotateKey: { method: 'POST', path: '/api/v1/keys/{id}/rotate' },
  revokeKey: { method: 'DELETE', path: '/api/v1/keys/{id}' },
  audit: { method: 'GET', path: '/api/v1/audit' },
  auditVerify: { method: 'GET', path: '/api/v1/audit/verify' },
  auditExport: { method: 'GET', path: '/api/v1/audit/export.csv' },
} as const satisfies Record<string, { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string }>;

export type EndpointName = keyof typeof ENDPOINTS;

/** Public routes outside /api (not in the OpenAPI document). */
export const READYZ_PATH = '/readyz';

/** Fills `{name}` placeholders (URI-encoded) and appends the query's non-empty values. */
export function buildPath(template: string, params: Record<string, string> = {}, query: Record<string, string | string[] | undefined> = {}): string {
  const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(v);
  });
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) if (one !== '') qs.append(k, one);
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}
