import type pg from 'pg';
import { Channel } from '../../../src/channels/channel-adapter.js';
import { DeliveryWorker } from '../../../src/delivery/delivery.worker.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { startWebhookSinkDouble, type WebhookSinkDouble } from '../../doubles/webhook-sink.double.js';
import { deliveryConfigYaml, deliveryRows, insertDeliveries, notification, psql, until } from './delivery-helpers.js';

const RECEIVER = 'pause-hook';
const REASON = 'provider incident INC-42: hold all pages';

describe('POST /api/v1/ops/deliveries/pause', () => {
  let app: TestApp;
  let sink: WebhookSinkDouble;
  let db: pg.Client;
  let configYaml: string;

  const post = (path: string, body: unknown) =>
    fetch(`${app.url}/api/v1/ops/deliveries/${path}`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const status = async () => (await (await fetch(`${app.url}/api/v1/ops/deliveries`, { headers: app.admin })).json()) as { paused: boolean };

  beforeAll(async () => {
    sink = await startWebhookSinkDouble();
    configYaml = deliveryConfigYaml(`  - name: ${RECEIVER}\n    webhook_configs: [{ url: "${sink.url}/hook" }]`);
    app = await startTestApp({ configYaml });
    db = await psql();
  });
  afterAll(async () => {
    await db?.query(`DELETE FROM ops_state WHERE name = 'delivery.pause'`);
    await db?.end();
    await app?.close();
    await sink?.close();
  });

  it('should reject a reason shorter than 20 characters, naming reason', async () => {
    const res = await post('pause', { reason: 'too short' });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: unknown[] };
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    expect((await status()).paused).toBe(false);
  });

  it('should hold every send while paused, keep inserts working, survive a restart, and send the backlog on resume', async () => {
    // Audit rows of earlier test files (the console pauses too) are not this test's.
    const auditBefore = (await db.query<{ max: string | null }>('SELECT max(id)::text AS max FROM audit_log')).rows[0].max ?? '0';
    const paused = await post('pause', { reason: REASON });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({ paused: true, by: 'bootstrap', reason: REASON, since: expect.any(String) });

    const ids = await insertDeliveries(
      app,
      Array.from({ length: 5 }, (_, i) => ({
        channel: Channel.Webhook,
        recipient: `http://127.0.0.1:${sink.port}`,
        receiver: RECEIVER,
        targetKey: 'webhook_configs[0]',
        payload: notification(RECEIVER, `pause-${i}`),
      })),
    );
    const worker = app.app.get(DeliveryWorker);
    worker.wake();
    await worker.whenIdle();
    expect(sink.requests).toHaveLength(0);
    expect((await deliveryRows(db, ids)).map((r) => r.status)).toEqual(Array(5).fill('pending'));

    await app.close();
    app = await startTestApp({ configPath: app.configPath ?? undefined });
    expect(await status()).toMatchObject({ paused: true, reason: REASON });
    const restarted = app.app.get(DeliveryWorker);
    restarted.wake();
    await restarted.whenIdle();
    expect(sink.requests).toHaveLength(0);

    const resumed = await post('resume', { reason: 'incident over, provider healthy again' });
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({ paused: false, by: 'bootstrap' });
    await until(() => deliveryRows(db, ids), (rows) => rows.every((r) => r.status === 'delivered'), 5000, 'backlog delivered');
    expect(sink.requests).toHaveLength(5);

    const audit = await db.query<{ action: string; actor_key_name: string; details: { reason: string } }>(
      `SELECT action, actor_key_name, details FROM audit_log a WHERE action IN ('delivery.pause', 'delivery.resume') AND a.id > $1 ORDER BY a.id`,
      [auditBefore],
    );
    expect(audit.rows.map((r) => [r.action, r.actor_key_name, r.details.reason])).toEqual([
      ['delivery.pause', 'bootstrap', REASON],
      ['delivery.resume', 'bootstrap', 'incident over, provider healthy again'],
    ]);
  });
});
