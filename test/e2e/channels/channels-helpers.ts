/**
 * Helpers for provider e2e tests through the running app: a config routing each `to` label
 * to its own receiver (group_wait 0s, small backoffs), posting alerts to /api/v1/alerts, and
 * polling the delivery rows, their attempts and the delivery API.
 */
import type pg from 'pg';
import type { TestApp } from '../../setup/app.js';

export interface ChannelDeliveryRow {
  id: string;
  status: string;
  recipient: string;
  retry_count: number;
  error_message: string | null;
}

export interface ChannelAttemptRow {
  outcome: string;
  provider: string;
  provider_status: number | null;
  provider_code: string | null;
  error: string | null;
  started_at: Date;
}

/**
 * A config whose root sends to a log receiver and whose child routes send alerts labelled
 * `to="<receiver>"` to that receiver. `receivers` is YAML of the receiver list items.
 */
export function channelsConfigYaml(receiverNames: readonly string[], receivers: string, extra = '', maxAttempts = 4): string {
  const routes = receiverNames.map((name) => `    - matchers: ['to="${name}"']\n      receiver: ${name}`).join('\n');
  return `
route:
  receiver: default-log
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
  routes:
${routes}
delivery:
  max_attempts: ${maxAttempts}
  initial_backoff: 50ms
  max_backoff: 200ms
  attempt_timeout: 2s
receivers:
  - name: default-log
    log_configs: [{}]
${receivers}
${extra}`;
}

/** Posts one alert (firing, or resolved when `resolved`) routed to `receiver`. */
export async function postAlert(app: TestApp, receiver: string, alertname: string, opts: { resolved?: boolean; labels?: Record<string, string> } = {}): Promise<void> {
  const alert = {
    labels: { alertname, to: receiver, severity: 'critical', service: 'api', ...(opts.labels ?? {}) },
    annotations: { summary: `${alertname} is happening` },
    ...(opts.resolved ? { endsAt: new Date(Date.now() - 1000).toISOString() } : {}),
  };
  const res = await fetch(`${app.url}/api/v1/alerts`, {
    method: 'POST',
    headers: { ...app.admin, 'content-type': 'application/json' },
    body: JSON.stringify([alert]),
  });
  if (res.status >= 300) throw new Error(`POST /api/v1/alerts answered ${res.status}: ${await res.text()}`);
}

/** The deliveries made for the group of `alertname` at `receiver`, oldest first. */
export async function deliveriesOf(db: pg.Client, receiver: string, alertname: string): Promise<ChannelDeliveryRow[]> {
  const res = await db.query<ChannelDeliveryRow>(
    `SELECT id::text, status, recipient, retry_count, error_message FROM alert_deliveries
      WHERE receiver = $1 AND payload->'groupLabels'->>'alertname' = $2 ORDER BY id`,
    [receiver, alertname],
  );
  return res.rows;
}

export async function attemptsOf(db: pg.Client, id: string): Promise<ChannelAttemptRow[]> {
  const res = await db.query<ChannelAttemptRow>(
    `SELECT outcome, provider, provider_status, provider_code, error, started_at FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`,
    [id],
  );
  return res.rows;
}

/** Polls until `check` holds or the deadline passes (then fails naming `what` and the last value). */
export async function until<T>(probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
    last = await probe();
  }
  return last;
}

/** Waits for the one delivery of `alertname` at `receiver` to reach `status`. */
export async function settledDelivery(db: pg.Client, receiver: string, alertname: string, status: string, timeoutMs = 15_000): Promise<ChannelDeliveryRow> {
  const rows = await until(() => deliveriesOf(db, receiver, alertname), (r) => r.length >= 1 && r[0].status === status, timeoutMs, `${alertname} ${status}`);
  return rows[0];
}

/** GET /api/v1/deliveries/{id} as raw text (for secret checks) and parsed. */
export async function deliveryReply(app: TestApp, id: string): Promise<{ status: number; text: string; body: unknown }> {
  const res = await fetch(`${app.url}/api/v1/deliveries/${id}`, { headers: app.admin });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as unknown };
}

/** Fails when any of `secrets` appears in the delivery API reply of each id (recipient, errorMessage, attempts). */
export async function expectNoSecretInReplies(app: TestApp, ids: readonly string[], secrets: readonly string[]): Promise<void> {
  for (const id of ids) {
    const reply = await deliveryReply(app, id);
    expect(reply.status).toBe(200);
    for (const secret of secrets) expect(reply.text).not.toContain(secret);
  }
}
