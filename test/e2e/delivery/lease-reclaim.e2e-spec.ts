import type pg from 'pg';
import { Channel } from '../../../src/channels/channel-adapter.js';
import { DeliveryWorker } from '../../../src/delivery/delivery.worker.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { startWebhookSinkDouble, type WebhookSinkDouble } from '../../doubles/webhook-sink.double.js';
import { attempts, insertDeliveries, notification, psql, statusOf, until } from './delivery-helpers.js';

/**
 * A delivery whose lease ran out while this same process still works on it (here: the rate
 * limiter's bucket was slow to answer) is claimed again by this process's next claim, under the
 * same worker id. The worker must not start a second send of it beside the one in flight.
 */
describe('delivery worker: own expired lease while the send is in flight', () => {
  let app: TestApp;
  let sink: WebhookSinkDouble;
  let db: pg.Client;

  beforeAll(async () => {
    sink = await startWebhookSinkDouble();
    const configYaml = `
route:
  receiver: reclaim-hook
receivers:
  - name: reclaim-hook
    webhook_configs: [{ url: "${sink.url}/hook" }]
delivery:
  attempt_timeout: 100ms
channels:
  webhook: { rate_limit: { rate: 50, per: 1s } }
`;
    // lease = 100 ms + 5 s; claims every 200 ms
    app = await startTestApp({ configYaml, env: { TOCSIN_WORKERS: '0', TOCSIN_SLO: '0', TOCSIN_DELIVERY_POLL_MS: '200' } });
    db = await psql();
  });
  afterAll(async () => {
    await app?.app.get(DeliveryWorker).stop();
    await db?.query(`DROP TRIGGER IF EXISTS tocsin_test_slow_bucket_trg ON rate_limit_buckets`);
    await db?.query(`DROP FUNCTION IF EXISTS tocsin_test_slow_bucket()`);
    await db?.query(`DROP SEQUENCE IF EXISTS tocsin_test_slow_bucket_seq`);
    await db?.end();
    await app?.close();
    await sink?.close();
  });

  it('should send once and settle it when this process claims its own expired row again', async () => {
    const [id] = await insertDeliveries(app, [
      { channel: Channel.Webhook, recipient: `http://127.0.0.1:${sink.port}`, receiver: 'reclaim-hook', targetKey: 'webhook_configs[0]', payload: notification('reclaim-hook', 'reclaim-1') },
    ]);
    // The first token take of this target answers after 5.8 s: past the 5.1 s lease.
    await db.query(`CREATE SEQUENCE tocsin_test_slow_bucket_seq`);
    await db.query(
      `CREATE OR REPLACE FUNCTION tocsin_test_slow_bucket() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.bucket = 'target:webhook:http://127.0.0.1:${sink.port}' AND nextval('tocsin_test_slow_bucket_seq') = 1 THEN PERFORM pg_sleep(5.8); END IF;
         RETURN NEW;
       END $$`,
    );
    await db.query(`CREATE TRIGGER tocsin_test_slow_bucket_trg BEFORE UPDATE ON rate_limit_buckets FOR EACH ROW EXECUTE FUNCTION tocsin_test_slow_bucket()`);

    const worker = app.app.get(DeliveryWorker);
    worker.start();
    await until(() => statusOf(db, id), (r) => r.status === 'delivered', 10_000, 'the delivery delivered');
    await worker.whenIdle(10_000);
    expect(sink.requests).toHaveLength(1);
    expect((await attempts(db, id)).map((a) => a.outcome)).toEqual(['delivered']);
  }, 20_000);
});
