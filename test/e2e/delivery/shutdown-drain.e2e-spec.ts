import type pg from 'pg';
import { Channel } from '../../../src/channels/channel-adapter.js';
import { DeliveryWorker } from '../../../src/delivery/delivery.worker.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { startWebhookSinkDouble, type WebhookSinkDouble } from '../../doubles/webhook-sink.double.js';
import { attempts, deliveryConfigYaml, insertDeliveries, notification, psql, statusOf, until } from './delivery-helpers.js';

/**
 * Shutdown while sends are in flight: a send the provider already accepted must be settled
 * with its real outcome, never released back to `pending` (which sends it a second time).
 */
describe('delivery worker shutdown drain', () => {
  let app: TestApp;
  let fast: WebhookSinkDouble;
  let slow: WebhookSinkDouble;
  let db: pg.Client;

  beforeAll(async () => {
    fast = await startWebhookSinkDouble();
    slow = await startWebhookSinkDouble();
    const configYaml = deliveryConfigYaml(
      `  - name: drain-fast\n    webhook_configs: [{ url: "${fast.url}/hook" }]\n  - name: drain-slow\n    webhook_configs: [{ url: "${slow.url}/hook" }]`,
    );
    // attempt_timeout 1s: the drain's grace is 1.5 s
    app = await startTestApp({ configYaml, env: { TOCSIN_WORKERS: '0', TOCSIN_SLO: '0' } });
    db = await psql();
  });
  afterAll(async () => {
    await db?.query(`DROP TRIGGER IF EXISTS tocsin_test_slow_settle_trg ON delivery_attempts`);
    await db?.query(`DROP FUNCTION IF EXISTS tocsin_test_slow_settle()`);
    await db?.end();
    await app?.close();
    await fast?.close();
    await slow?.close();
  });

  it('should not release (and so resend) a delivery whose send finished but whose settle was still queued at shutdown', async () => {
    const [a] = await insertDeliveries(app, [
      { channel: Channel.Webhook, recipient: `http://127.0.0.1:${fast.port}`, receiver: 'drain-fast', targetKey: 'webhook_configs[0]', payload: notification('drain-fast', 'drain-a') },
    ]);
    const [b] = await insertDeliveries(app, [
      { channel: Channel.Webhook, recipient: `http://127.0.0.1:${slow.port}`, receiver: 'drain-slow', targetKey: 'webhook_configs[0]', payload: notification('drain-slow', 'drain-b') },
    ]);
    // A's settle takes 2.5 s (longer than the drain's grace); B's settle queues behind it.
    await db.query(
      `CREATE OR REPLACE FUNCTION tocsin_test_slow_settle() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.delivery_id = ${Number(a)} THEN PERFORM pg_sleep(2.5); END IF; RETURN NEW; END $$`,
    );
    await db.query(`CREATE TRIGGER tocsin_test_slow_settle_trg BEFORE INSERT ON delivery_attempts FOR EACH ROW EXECUTE FUNCTION tocsin_test_slow_settle()`);
    slow.hang();

    const worker = app.app.get(DeliveryWorker);
    worker.start();
    await slow.waitForRequests(1, 5000);
    await until(
      async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event = 'PgSleep'`)).rows[0].n,
      (n) => n >= 1,
      5000,
      "A's settle to be running",
    );
    slow.release(); // B is accepted by the provider now; its settle waits for A's
    await until(() => Promise.resolve(slow.pending), (n) => n === 0, 5000, 'B answered');
    await worker.stop();

    expect(fast.requests).toHaveLength(1);
    expect(slow.requests).toHaveLength(1);
    expect((await statusOf(db, a)).status).toBe('delivered');
    expect((await statusOf(db, b)).status).toBe('delivered');
    expect((await attempts(db, b)).map((x) => x.outcome)).toEqual(['delivered']);
  });
});
