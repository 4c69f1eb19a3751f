import type pg from 'pg';
import { Channel } from '../../../src/channels/channel-adapter.js';
import { DeliveryWorker } from '../../../src/delivery/delivery.worker.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { startWebhookSinkDouble, type WebhookSinkDouble } from '../../doubles/webhook-sink.double.js';
import { attempts, deliveryConfigYaml, insertDeliveries, notification, psql, statusOf, until } from './delivery-helpers.js';

/**
 * A database blip while a finished send is settled: the settle is retried, so the delivery is
 * marked delivered with its attempt recorded, instead of sitting in `sending` until its lease
 * ends and then being sent a second time.
 */
describe('delivery settle after a database blip', () => {
  let app: TestApp;
  let sink: WebhookSinkDouble;
  let db: pg.Client;

  beforeAll(async () => {
    sink = await startWebhookSinkDouble();
    const configYaml = deliveryConfigYaml(`  - name: blip-hook\n    webhook_configs: [{ url: "${sink.url}/hook" }]`);
    app = await startTestApp({ configYaml, env: { TOCSIN_WORKERS: '0', TOCSIN_SLO: '0' } });
    db = await psql();
  });
  afterAll(async () => {
    await app?.app.get(DeliveryWorker).stop();
    await db?.query(`DROP TRIGGER IF EXISTS tocsin_test_blip_trg ON delivery_attempts`);
    await db?.query(`DROP FUNCTION IF EXISTS tocsin_test_blip()`);
    await db?.query(`DROP SEQUENCE IF EXISTS tocsin_test_blip_seq`);
    await db?.end();
    await app?.close();
    await sink?.close();
  });

  it('should retry a failed settle: delivered once, attempt recorded, not left sending', async () => {
    const [id] = await insertDeliveries(app, [
      { channel: Channel.Webhook, recipient: `http://127.0.0.1:${sink.port}`, receiver: 'blip-hook', targetKey: 'webhook_configs[0]', payload: notification('blip-hook', 'blip-1') },
    ]);
    // The first two settle transactions of this delivery fail (a sequence survives the rollbacks).
    await db.query(`CREATE SEQUENCE tocsin_test_blip_seq`);
    await db.query(
      `CREATE OR REPLACE FUNCTION tocsin_test_blip() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.delivery_id = ${Number(id)} AND nextval('tocsin_test_blip_seq') <= 2 THEN RAISE EXCEPTION 'simulated database blip'; END IF;
         RETURN NEW;
       END $$`,
    );
    await db.query(`CREATE TRIGGER tocsin_test_blip_trg BEFORE INSERT ON delivery_attempts FOR EACH ROW EXECUTE FUNCTION tocsin_test_blip()`);

    app.app.get(DeliveryWorker).start();
    await sink.waitForRequests(1, 5000);
    // the lease is 6 s (attempt_timeout 1s + 5 s): well before it ends the row must be settled
    await until(() => statusOf(db, id), (r) => r.status === 'delivered', 3000, 'the delivery settled as delivered');
    expect((await attempts(db, id)).map((a) => a.outcome)).toEqual(['delivered']);
    expect(sink.requests).toHaveLength(1);
  });
});
