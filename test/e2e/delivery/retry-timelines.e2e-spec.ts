import type pg from 'pg';
import { Channel } from '../../../src/channels/channel-adapter.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { startWebhookSinkDouble, type WebhookSinkDouble } from '../../doubles/webhook-sink.double.js';
import { attempts, deliveryConfigYaml, insertDeliveries, notification, psql, statusOf, until } from './delivery-helpers.js';

const RECEIVER = 'retry-hook';

describe('delivery retry timelines', () => {
  let app: TestApp;
  let sink: WebhookSinkDouble;
  let db: pg.Client;

  beforeAll(async () => {
    sink = await startWebhookSinkDouble();
    app = await startTestApp({
      configYaml: deliveryConfigYaml(
        `  - name: ${RECEIVER}\n    webhook_configs: [{ url: "${sink.url}/hook/secret-path" }]`,
        'channels:\n  webhook: { rate_limit: { rate: 1000, per: 1s } }',
      ),
    });
    db = await psql();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    await sink?.close();
  });
  beforeEach(() => sink.reset());

  function send(groupKey: string, targetKey = 'webhook_configs[0]'): Promise<string> {
    return insertDeliveries(app, [
      { channel: Channel.Webhook, recipient: `http://127.0.0.1:${sink.port}`, receiver: RECEIVER, targetKey, payload: notification(RECEIVER, groupKey) },
    ]).then(([id]) => id);
  }

  const arrivalsFor = (groupKey: string) => sink.requests.filter((r) => (r.json as { groupKey?: string })?.groupKey === groupKey);

  it('should deliver after 500, 500, 200 with three attempts recorded', async () => {
    sink.respondOnce({ status: 500, body: 'boom' });
    sink.respondOnce({ status: 500, body: 'boom' });
    const id = await send('t-500-500-200');
    const row = await until(() => statusOf(db, id), (r) => r.status === 'delivered', 10_000, 'delivered');
    expect(row.retry_count).toBe(2);
    expect((await attempts(db, id)).map((a) => [a.outcome, a.provider_status])).toEqual([
      ['retry', 500],
      ['retry', 500],
      ['delivered', 200],
    ]);
    expect(arrivalsFor('t-500-500-200')).toHaveLength(3);
  });

  it('should wait at least Retry-After before the next attempt after a 429', async () => {
    sink.respondOnce({ status: 429, headers: { 'retry-after': '2' }, body: 'slow down' });
    const id = await send('t-429');
    await until(() => statusOf(db, id), (r) => r.status === 'delivered', 10_000, 'delivered');
    const [first, second] = arrivalsFor('t-429');
    expect(second.receivedAt.getTime() - first.receivedAt.getTime()).toBeGreaterThanOrEqual(2000);
    expect((await attempts(db, id)).map((a) => a.outcome)).toEqual(['retry', 'delivered']);
  });

  it("should poison at once on a 400 with the provider's error text", async () => {
    sink.respondOnce({ status: 400, body: 'invalid_payload: alerts missing' });
    const id = await send('t-400');
    const row = await until(() => statusOf(db, id), (r) => r.status === 'poison', 10_000, 'poison');
    expect(row.retry_count).toBe(1);
    expect(row.error_message).toContain('invalid_payload: alerts missing');
    expect(row.error_message).not.toContain('secret-path');
    expect(arrivalsFor('t-400')).toHaveLength(1);
  });

  it('should retry an attempt that timed out', async () => {
    sink.hang();
    const id = await send('t-timeout');
    await until(() => attempts(db, id), (a) => a.length >= 1, 10_000, 'first attempt to time out');
    sink.release();
    const row = await until(() => statusOf(db, id), (r) => r.status === 'delivered', 10_000, 'delivered');
    const log = await attempts(db, id);
    expect(log[0].outcome).toBe('retry');
    expect(log[0].error ?? '').toMatch(/time/i);
    expect(log[log.length - 1].outcome).toBe('delivered');
    expect(row.retry_count).toBeGreaterThanOrEqual(1);
  });

  it('should poison after max_attempts failures with retry_count = max_attempts', async () => {
    sink.respondWith({ status: 503, body: 'unavailable' });
    const id = await send('t-exhaust');
    const row = await until(() => statusOf(db, id), (r) => r.status === 'poison', 10_000, 'poison');
    expect(row.retry_count).toBe(4);
    expect(row.error_message).toContain('unavailable');
    expect((await attempts(db, id)).map((a) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'poison']);
  });

  it('should poison a delivery whose target a reload removed, saying so', async () => {
    const id = await send('t-gone', 'webhook_configs[7]');
    const row = await until(() => statusOf(db, id), (r) => r.status === 'poison', 10_000, 'poison');
    expect(row.error_message).toMatch(/no longer in the configuration/);
  });

  it("should send a poison delivery again within 2 s of the runbook's UPDATE, with no other step", async () => {
    sink.respondOnce({ status: 400, body: 'bad' });
    const id = await send('t-runbook');
    await until(() => statusOf(db, id), (r) => r.status === 'poison', 10_000, 'poison');
    const before = arrivalsFor('t-runbook').length;
    const started = Date.now();
    await db.query(`UPDATE alert_deliveries SET status = 'pending', retry_count = 0 WHERE id = ${Number(id)} AND status = 'poison'`);
    await until(() => statusOf(db, id), (r) => r.status === 'delivered', 2000, 'delivered within 2 s');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(arrivalsFor('t-runbook')).toHaveLength(before + 1);
  });
});
