import pg from 'pg';
import type { Channel, NotificationData } from '../../../src/channels/channel-adapter.js';
import { Database } from '../../../src/db/database.service.js';
import { DeliveryOutboxRepository } from '../../../src/delivery/delivery-outbox.repository.js';
import type { TestApp } from '../../setup/app.js';
import { makeNotificationAlert, makeNotificationData } from '../../factories/notification.factory.js';

export interface DeliveryRow {
  id: string;
  status: string;
  retry_count: number;
  error_message: string | null;
  coalesced_into: string | null;
  is_summary: boolean;
  group_key: string;
}

export interface AttemptRow {
  outcome: string;
  error: string | null;
  provider_status: number | null;
  started_at: Date;
}

/** A config whose delivery settings suit tests: small backoffs, short attempt timeout. */
export function deliveryConfigYaml(receivers: string, extra = ''): string {
  return `
route:
  receiver: default-log
  group_by: [alertname]
delivery:
  max_attempts: 4
  initial_backoff: 50ms
  max_backoff: 200ms
  attempt_timeout: 1s
  coalesce_after: 5
receivers:
  - name: default-log
    log_configs: [{}]
${receivers}
${extra}`;
}

/** One notification naming `alertname`, with its own group key. */
export function notification(receiver: string, groupKey: string, alertname = groupKey, index = 0): NotificationData {
  const alert = makeNotificationAlert({ labels: { alertname, instance: `i-${index}` }, fingerprint: (0x2000000000000000n + BigInt(index)).toString(16) }, index);
  return makeNotificationData({ overrides: { receiver, groupKey, alerts: [alert], groupLabels: { alertname }, commonLabels: alert.labels } });
}

/** Inserts pending deliveries the way a group flush does. */
export async function insertDeliveries(
  app: TestApp,
  rows: Array<{ channel: Channel; recipient: string; receiver: string; targetKey: string; payload: NotificationData }>,
): Promise<string[]> {
  const db = app.app.get(Database);
  const outbox = app.app.get(DeliveryOutboxRepository);
  return db.transaction((tx) =>
    outbox.insertPending(
      tx,
      rows.map((r) => ({
        ...r,
        groupId: null,
        groupKey: r.payload.groupKey,
        fingerprints: r.payload.alerts.map((a) => a.fingerprint),
        dueAt: new Date(),
      })),
    ),
  );
}

/** A plain pg client on the run's database, as an operator's psql would be. */
export async function psql(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

export async function deliveryRows(client: pg.Client, ids: readonly string[]): Promise<DeliveryRow[]> {
  const res = await client.query<DeliveryRow>(
    `SELECT id::text, status, retry_count, error_message, coalesced_into::text, is_summary, group_key
       FROM alert_deliveries d WHERE d.id = ANY($1::bigint[]) ORDER BY d.id`,
    [ids],
  );
  return res.rows;
}

export async function attempts(client: pg.Client, id: string): Promise<AttemptRow[]> {
  const res = await client.query<AttemptRow>(
    `SELECT outcome, error, provider_status, started_at FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`,
    [id],
  );
  return res.rows;
}

/** Polls until `check` holds or the deadline passes (then fails with `what`). */
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

export async function statusOf(client: pg.Client, id: string): Promise<DeliveryRow> {
  const [row] = await deliveryRows(client, [id]);
  return row;
}
