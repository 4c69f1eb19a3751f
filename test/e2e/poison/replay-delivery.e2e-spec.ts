import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Channel } from '../../../src/channels/channel-adapter.js';
import { runCli } from '../../../src/cli/main.js';
import { Database } from '../../../src/db/database.service.js';
import { DeliveryOutboxRepository } from '../../../src/delivery/delivery-outbox.repository.js';
import { startWebhookSinkDouble, type WebhookSinkDouble } from '../../doubles/webhook-sink.double.js';
import { makeNotificationAlert, makeNotificationData } from '../../factories/notification.factory.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../setup/app.js';
import { api, eventually, openPg } from './poison-fixtures.js';

const RECEIVER = 'poison-replay-hook';

/**
 * The whole path with the delivery engine running: a provider's 400 poisons a delivery; once the
 * provider is fixed, a replay by API, by CLI or by the runbook's SQL gets it delivered, once.
 */
describe('poison and replay through a webhook double', () => {
  let app: TestApp;
  let sink: WebhookSinkDouble;
  let db: pg.Client;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    sink = await startWebhookSinkDouble();
    app = await startTestApp({
      configYaml: `
route:
  receiver: ${RECEIVER}
receivers:
  - name: ${RECEIVER}
    webhook_configs: [{ url: "${sink.url}/hook/secret-path" }]
delivery:
  max_attempts: 3
  initial_backoff: 50ms
  max_backoff: 200ms
  attempt_timeout: 2s
`,
    });
    db = await openPg();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    await sink?.close();
  });

  async function send(groupKey: string): Promise<string> {
    const alert = makeNotificationAlert({ labels: { alertname: groupKey } });
    const payload = makeNotificationData({ overrides: { receiver: RECEIVER, groupKey, alerts: [alert] } });
    const [id] = await app.app.get(Database).transaction((tx) =>
      app.app.get(DeliveryOutboxRepository).insertPending(tx, [
        { channel: Channel.Webhook, recipient: `http://127.0.0.1:${sink.port}`, receiver: RECEIVER, targetKey: 'webhook_configs[0]', groupId: null, groupKey, fingerprints: [alert.fingerprint], payload, dueAt: new Date() },
      ]),
    );
    return id;
  }

  const statusOf = async (id: string): Promise<{ status: string; retryCount: number }> => {
    const res = await api(app, 'GET', `/api/v1/deliveries/${id}`);
    return res.body;
  };
  const until = (id: string, status: string, timeoutMs = 10_000) =>
    eventually(async () => ((await statusOf(id)).status === status ? statusOf(id) : undefined), timeoutMs, `delivery ${id} ${status}`);
  const arrivals = (groupKey: string) => sink.requests.filter((r) => (r.json as { groupKey?: string } | undefined)?.groupKey === groupKey);

  it('should poison on a 400, and after each kind of replay deliver exactly once', async () => {
    sink.respondWith({ status: 400, body: 'invalid payload' });
    const keys = { api: `api-${run}`, cli: `cli-${run}`, sql: `sql-${run}` };
    const ids = { api: await send(keys.api), cli: await send(keys.cli), sql: await send(keys.sql) };
    for (const id of Object.values(ids)) {
      const d = await until(id, 'poison');
      expect(d.retryCount).toBeLessThanOrEqual(1);
    }
    const poisoned = await api(app, 'GET', `/api/v1/deliveries/${ids.api}`);
    expect(poisoned.body.errorMessage).toContain('400');
    expect(poisoned.body.attempts).toEqual([expect.objectContaining({ outcome: 'poison', providerStatus: 400 })]);

    sink.respondWith({ status: 200, body: '' });

    // 1. By API.
    const replayed = await api(app, 'POST', `/api/v1/poison/${ids.api}/replay`, { reason: 'receiver fixed' });
    expect(replayed.status).toBe(202);
    await until(ids.api, 'delivered');

    // 2. By CLI.
    const out: string[] = [];
    const code = await runCli(['poison', 'replay', ids.cli, '--reason', 'receiver fixed'], {
      stdout: (s) => out.push(s),
      stderr: (s) => out.push(s),
      env: { TOCSIN_URL: app.url, TOCSIN_TOKEN: TEST_ADMIN_TOKEN },
      cwd: process.cwd(),
    });
    expect({ code, out: out.join('') }).toEqual({ code: 0, out: expect.stringContaining('replayed') });
    await until(ids.cli, 'delivered');

    // 3. By the runbook's UPDATE in psql: sent again within 2 seconds, with no other step.
    execFileSync('psql', [
      process.env.DATABASE_URL as string,
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `UPDATE alert_deliveries SET status = 'pending', retry_count = 0 WHERE id = ${ids.sql} AND status = 'poison'`,
    ]);
    await until(ids.sql, 'delivered', 2000);

    for (const [how, key] of Object.entries(keys)) {
      expect({ how, statuses: await attemptOutcomes(ids[how as keyof typeof ids]) }).toEqual({ how, statuses: ['poison:400', 'delivered:200'] });
      expect({ how, arrivals: arrivals(key).length }).toEqual({ how, arrivals: 2 });
    }
  });

  it('should answer 409 to a replay of a delivered delivery', async () => {
    const id = await send(`done-${run}`);
    await until(id, 'delivered');
    const res = await api(app, 'POST', `/api/v1/poison/${id}/replay`, {});
    expect(res.status).toBe(409);
  });

  it('should let one of two concurrent replays win and deliver once', async () => {
    sink.respondWith({ status: 400, body: 'invalid payload' });
    const key = `race-${run}`;
    const id = await send(key);
    await until(id, 'poison');
    sink.respondWith({ status: 200, body: '' });
    const [a, b] = await Promise.all([api(app, 'POST', `/api/v1/poison/${id}/replay`, {}), api(app, 'POST', `/api/v1/poison/${id}/replay`, {})]);
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    await until(id, 'delivered');
    expect(await attemptOutcomes(id)).toEqual(['poison:400', 'delivered:200']);
  });

  async function attemptOutcomes(id: string): Promise<string[]> {
    const { rows } = await db.query(`SELECT outcome, provider_status FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`, [id]);
    return rows.map((r) => `${r.outcome}:${r.provider_status}`);
  }
});
