import { Database } from '../../../src/db/database.service.js';
import { sql } from '../../../src/db/tx.js';
import { GroupFlusher } from '../../../src/alerts/group-flusher.js';
import type { TestApp } from '../../setup/app.js';

/** A config routing everything to one webhook receiver, with the given timings. */
/** These files test ingest and grouping: no delivery worker or SLO evaluator runs beside them. */
export const QUIET: NodeJS.ProcessEnv = { TOCSIN_WORKERS: '0', TOCSIN_SLO: '0' };

export function webhookConfig(opts: { receiver?: string; groupWait?: string; groupInterval?: string; repeatInterval?: string; extra?: string; sendResolved?: boolean } = {}): string {
  const receiver = opts.receiver ?? 'hooks';
  return `global:
  resolve_timeout: 5m
route:
  receiver: ${receiver}
  group_by: [alertname]
  group_wait: ${opts.groupWait ?? '0s'}
  group_interval: ${opts.groupInterval ?? '1m'}
  repeat_interval: ${opts.repeatInterval ?? '1h'}
receivers:
  - name: ${receiver}
    webhook_configs: [{ url: "http://127.0.0.1:9/hook", send_resolved: ${opts.sendResolved ?? true} }]
${opts.extra ?? ''}`;
}

export async function post(app: TestApp, path: string, body: unknown, raw = false): Promise<{ status: number; body: unknown; text: string }> {
  const res = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { ...app.admin, 'content-type': 'application/json' },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, text };
}

export async function get(app: TestApp, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${app.url}${path}`, { headers: app.admin });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

export async function query<T = Record<string, unknown>>(app: TestApp, text: string, params: unknown[] = []): Promise<T[]> {
  return sql<T>(app.app.get(Database).reader, text, params);
}

export async function counts(app: TestApp): Promise<{ alerts: number; groups: number; members: number; deliveries: number }> {
  const [row] = await query<{ alerts: string; groups: string; members: string; deliveries: string }>(
    app,
    `SELECT (SELECT count(*) FROM alerts) AS alerts, (SELECT count(*) FROM notification_groups) AS groups,
            (SELECT count(*) FROM group_alerts) AS members, (SELECT count(*) FROM alert_deliveries) AS deliveries`,
  );
  return { alerts: Number(row.alerts), groups: Number(row.groups), members: Number(row.members), deliveries: Number(row.deliveries) };
}

export async function resetAlertTables(app: TestApp): Promise<void> {
  await query(app, `TRUNCATE alerts, notification_groups, group_alerts, silences, alert_deliveries, delivery_attempts CASCADE`);
}

export function flusher(app: TestApp): GroupFlusher {
  return app.app.get(GroupFlusher);
}

export interface DeliveryRow {
  id: string;
  receiver: string;
  group_key: string;
  fingerprints: string[];
  payload: { status: string; alerts: { status: string; labels: Record<string, string>; fingerprint: string }[] };
  due_at: Date;
}

export async function deliveries(app: TestApp): Promise<DeliveryRow[]> {
  return query<DeliveryRow>(app, `SELECT id::text AS id, receiver, group_key, fingerprints, payload, due_at FROM alert_deliveries d ORDER BY d.id`);
}
