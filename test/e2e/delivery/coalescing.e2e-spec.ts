import type pg from 'pg';
import { Channel } from '../../../src/channels/channel-adapter.js';
import { DeliveryWorker } from '../../../src/delivery/delivery.worker.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { type SlackWebhookDouble, startSlackWebhookDouble } from '../../doubles/slack-webhook.double.js';
import { deliveryConfigYaml, deliveryRows, insertDeliveries, notification, psql, until } from './delivery-helpers.js';

const RECEIVER = 'coalesce-slack';

describe('coalescing', () => {
  let app: TestApp;
  let slack: SlackWebhookDouble;
  let db: pg.Client;

  beforeAll(async () => {
    slack = await startSlackWebhookDouble();
    app = await startTestApp({
      configYaml: deliveryConfigYaml(
        `  - name: ${RECEIVER}\n    slack_configs: [{ api_url: "${slack.webhookUrl}", channel: "#coalesce" }]`,
        'channels:\n  slack: { rate_limit: { rate: 1, per: 1s, burst: 1 } }',
      ),
    });
    db = await psql();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    await slack?.close();
  });

  it('should fold 30 waiting notifications for one rate-limited Slack target into fewer messages naming every alert', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `CoalesceAlert${String(i).padStart(2, '0')}`);
    const ids = await insertDeliveries(
      app,
      names.map((name, i) => ({
        channel: Channel.Slack,
        recipient: '#coalesce',
        receiver: RECEIVER,
        targetKey: 'slack_configs[0]',
        payload: notification(RECEIVER, `coalesce-${i}`, name, i),
      })),
    );
    const settled = (rows: Awaited<ReturnType<typeof deliveryRows>>) => rows.every((r) => ['delivered', 'coalesced'].includes(r.status));
    const rows = await until(() => deliveryRows(db, ids), settled, 20_000, 'every row delivered or coalesced');
    const summaries = await until(
      async () => (await db.query<{ id: string; status: string }>(`SELECT id::text, status FROM alert_deliveries WHERE is_summary AND receiver = $1`, [RECEIVER])).rows,
      (s) => s.length > 0 && s.every((x) => ['delivered', 'coalesced'].includes(x.status)),
      20_000,
      'summaries delivered',
    );
    await app.app.get(DeliveryWorker).whenIdle();

    expect(slack.requests.length).toBeLessThan(names.length);
    const arrived = slack.requests.map((r) => r.body).join('\n');
    for (const name of names) expect(arrived).toContain(name);
    const folded = rows.filter((r) => r.status === 'coalesced');
    expect(folded.length).toBeGreaterThan(0);
    const summaryIds = new Set(summaries.map((s) => s.id));
    for (const r of folded) expect(summaryIds.has(r.coalesced_into ?? '')).toBe(true);
    expect(rows.filter((r) => r.status === 'delivered').length + folded.length).toBe(names.length);
  });
});
