import { Redis } from 'ioredis';
import type pg from 'pg';
import { type PagerDutyDouble, startPagerDutyDouble } from '../../doubles/pagerduty.double.js';
import { type SlackWebhookDouble, slackWebhookReplies, startSlackWebhookDouble } from '../../doubles/slack-webhook.double.js';
import { startWebhookSinkDouble, type WebhookSinkDouble } from '../../doubles/webhook-sink.double.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { psql, resetSloState, ShiftedClock, sloConfigYaml, until } from './slo-helpers.js';

interface PdEvent {
  event_action: string;
  dedup_key: string;
  payload?: { summary: string; severity: string; custom_details?: Record<string, unknown> };
}

interface SloItem {
  name: string;
  value: number | null;
  state: string;
  since: string | null;
  evaluatedAt: string | null;
}

const events = (pd: PagerDutyDouble): PdEvent[] => pd.requests.map((r) => r.json as PdEvent);
const triggersOf = (pd: PagerDutyDouble, alertname: string): PdEvent[] =>
  pd.requests.filter((r) => r.body.includes(alertname)).map((r) => r.json as PdEvent).filter((e) => e.event_action === 'trigger');
const resolvesOf = (pd: PagerDutyDouble, dedupKey: string): PdEvent[] =>
  events(pd).filter((e) => e.event_action === 'resolve' && e.dedup_key === dedupKey);

async function slo(app: TestApp, name: string): Promise<SloItem> {
  const res = await fetch(`${app.url}/api/v1/slo`, { headers: app.admin });
  const items = ((await res.json()) as { items: SloItem[] }).items;
  return items.find((i) => i.name === name) as SloItem;
}

function beat(app: TestApp, body: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${app.url}/api/v1/heartbeats/circuit-breaker`, {
    method: 'PUT',
    headers: { ...app.admin, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('SLO self-alerts', () => {
  let pd: PagerDutyDouble;
  let slack: SlackWebhookDouble;
  let hook: WebhookSinkDouble;
  let db: pg.Client;
  let app: TestApp | null = null;

  beforeAll(async () => {
    pd = await startPagerDutyDouble();
    slack = await startSlackWebhookDouble();
    hook = await startWebhookSinkDouble();
    db = await psql();
  });
  beforeEach(async () => {
    await resetSloState(db);
    pd.reset();
    slack.reset();
    hook.reset();
  });
  afterEach(async () => {
    await app?.close();
    app = null;
  });
  afterAll(async () => {
    await db?.end();
    await Promise.all([pd?.close(), slack?.close(), hook?.close()]);
  });

  const config = (extra: Partial<Parameters<typeof sloConfigYaml>[0]> = {}): string =>
    sloConfigYaml({
      pagerdutyUrl: pd.eventsUrl,
      slackUrl: slack.webhookUrl,
      extraReceivers: `  - name: broken-hook\n    webhook_configs: [{ url: "${hook.url}/hook" }]`,
      ...extra,
    });

  it('should page PoisonQueueBacklog when 11 deliveries are poison, and resolve it when they are replayed', async () => {
    app = await startTestApp({ env: { TOCSIN_SLO: '1' }, configYaml: config() });
    const a = app;
    hook.respondWith({ status: 400, body: 'bad payload' });
    const ids = await insertBroken(db, 11);
    await until(
      async () => (await db.query(`SELECT count(*)::int AS n FROM alert_deliveries WHERE id = ANY($1::bigint[]) AND status = 'poison'`, [ids])).rows[0].n as number,
      (n) => n === 11,
      15_000,
      '11 poison deliveries',
    );
    const [trigger] = await until(async () => triggersOf(pd, 'PoisonQueueBacklog'), (t) => t.length === 1, 30_000, 'PoisonQueueBacklog at PagerDuty');
    expect(trigger.payload?.severity).toBe('critical');
    expect((await slo(a, 'poison_queue_size')).state).toBe('breach');
    // Tocsin's own alerts are counted under their own source, not as if posted to /api/v1/alerts.
    const listed = (await (
      await fetch(`${a.url}/api/v1/alerts?filter=${encodeURIComponent('alertname="PoisonQueueBacklog"')}`, { headers: a.admin })
    ).json()) as { items: { source: string }[] };
    expect(listed.items.map((i) => i.source)).toEqual(['tocsin']);
    const metrics = await (await fetch(`${a.url}/metrics`)).text();
    expect(metrics).toMatch(/^alerts_received_total\{source="tocsin"\} [1-9]/m);
    expect(metrics).not.toMatch(/^alerts_received_total\{source="api_v1"\}/m);

    hook.respondWith({ status: 200, body: '' });
    const replay = await fetch(`${a.url}/api/v1/poison/replay`, {
      method: 'POST',
      headers: { ...a.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ ids, reason: 'webhook fixed; replaying the backlog of the SLO test' }),
    });
    expect(replay.status).toBe(200);
    await until(async () => resolvesOf(pd, trigger.dedup_key), (r) => r.length === 1, 30_000, 'PoisonQueueBacklog resolved');
    expect((await slo(a, 'poison_queue_size')).state).toBe('ok');
    expect(triggersOf(pd, 'PoisonQueueBacklog')).toHaveLength(1);
  }, 90_000);

  it('should page CircuitBreakerStale after 10 s without a beat (not before), and resolve it with the same dedup_key on a beat', async () => {
    const clock = new ShiftedClock(-120_000);
    app = await startTestApp({ env: { TOCSIN_SLO: '1' }, clock, configYaml: config() });
    const a = app;
    expect((await beat(a, { state: 'OPEN' })).status).toBe(200);
    const beatAt = clock.now().getTime();

    clock.advance(8_500);
    const evaluatedAfter = clock.now().getTime();
    const early = await until(async () => slo(a, 'cb_staleness'), (s) => s.evaluatedAt !== null && Date.parse(s.evaluatedAt) >= evaluatedAfter, 5_000, 'an evaluation at 8.5 s');
    expect(early.state).toBe('ok');
    expect(triggersOf(pd, 'CircuitBreakerStale')).toHaveLength(0);

    clock.advance(2_500);
    const [trigger] = await until(async () => triggersOf(pd, 'CircuitBreakerStale'), (t) => t.length >= 1, 10_000, 'CircuitBreakerStale at PagerDuty');
    const breach = await slo(a, 'cb_staleness');
    expect(breach.state).toBe('breach');
    expect(Date.parse(breach.since as string) - beatAt).toBeGreaterThan(10_000);
    expect(breach.value).toBeGreaterThan(10);

    expect((await beat(a, { state: 'OPEN' })).status).toBe(200);
    clock.advance(1_500); // past group_interval, so the group flushes its resolve
    const [resolve] = await until(async () => resolvesOf(pd, trigger.dedup_key), (r) => r.length >= 1, 15_000, 'CircuitBreakerStale resolved');
    expect(resolve.dedup_key).toBe(trigger.dedup_key);
    expect(triggersOf(pd, 'CircuitBreakerStale')).toHaveLength(1);
    // One stale breaker, one alert: no HeartbeatMissing for it.
    expect(pd.requests.some((r) => r.body.includes('HeartbeatMissing'))).toBe(false);
  }, 60_000);

  describe('with the circuit breaker in Redis', () => {
    const redisUrl = `redis://127.0.0.1:6379/${process.env.TOCSIN_TEST_REDIS_DB ?? '1'}`;
    const saved = process.env.REDIS_URL;
    let redis: Redis;

    beforeAll(async () => {
      redis = new Redis(redisUrl);
      process.env.REDIS_URL = redisUrl;
    });
    afterAll(async () => {
      await redis.del('circuit_breaker:state', 'circuit_breaker:history');
      redis.disconnect();
      if (saved === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = saved;
    });

    it('should page CircuitBreakerStale when circuit_breaker:state stops moving, and resolve it when it moves again', async () => {
      const clock = new ShiftedClock(-120_000);
      const writeState = (at: Date) => redis.set('circuit_breaker:state', JSON.stringify({ state: 'OPEN', updated_at: at.toISOString() }));
      await writeState(clock.now());
      const beatAt = clock.now().getTime();
      app = await startTestApp({
        clock,
        env: { REDIS_URL: redisUrl, TOCSIN_SLO: '1' },
        configYaml: config({ heartbeats: '  - { name: circuit-breaker, max_staleness: 10s, target: 5s, severity: critical, source: redis }' }),
      });
      const a = app;
      await until(async () => slo(a, 'cb_staleness'), (s) => s.state === 'ok', 5_000, 'cb_staleness ok from Redis');

      clock.advance(11_000);
      const [trigger] = await until(async () => triggersOf(pd, 'CircuitBreakerStale'), (t) => t.length >= 1, 10_000, 'CircuitBreakerStale at PagerDuty');
      expect(Date.parse((await slo(a, 'cb_staleness')).since as string) - beatAt).toBeGreaterThan(10_000);

      await redis.del('circuit_breaker:state');
      await redis.hset('circuit_breaker:state', { state: 'OPEN', updated_at: String(clock.now().getTime() / 1000) });
      clock.advance(1_500);
      await until(async () => resolvesOf(pd, trigger.dedup_key), (r) => r.length >= 1, 15_000, 'CircuitBreakerStale resolved');
    }, 60_000);
  });

  it('should send AlertDeliveryLatencyHigh through the fallback receiver when Slack is down', async () => {
    slack.respondWith(slackWebhookReplies.serverError);
    app = await startTestApp({ env: { TOCSIN_SLO: '1' }, configYaml: config() });
    const a = app;
    // Five deliveries accepted 120 s after they became due: the window's P95 is above 60 s.
    await db.query(
      `INSERT INTO alert_deliveries (channel, recipient, receiver, target_key, group_key, payload, status, due_at, next_attempt_at, delivered_at)
       SELECT 'log', 'log:default-log', 'default-log', 'log_configs[0]', 'latency-' || g, '{}'::jsonb, 'delivered', now() - interval '120 seconds', now() - interval '120 seconds', now()
         FROM generate_series(1, 5) g`,
    );
    await until(async () => slack.requests.filter((r) => r.body.includes('AlertDeliveryLatencyHigh')), (r) => r.length >= 1, 20_000, 'an attempt at Slack');
    const [trigger] = await until(async () => triggersOf(pd, 'AlertDeliveryLatencyHigh'), (t) => t.length >= 1, 20_000, 'AlertDeliveryLatencyHigh through the fallback');
    expect(trigger.payload?.summary).toBeDefined();
    const copies = await db.query(`SELECT fallback_receiver, cardinality(fallback_ids) AS n FROM slo_fallbacks`);
    expect(copies.rows[0]).toMatchObject({ fallback_receiver: 'platform-pager', n: 1 });
    expect((await slo(a, 'alert_delivery_p95')).state).toBe('breach');
  }, 60_000);
});

/** Eleven deliveries to the failing webhook receiver, as a flush would create them. */
async function insertBroken(db: pg.Client, n: number): Promise<string[]> {
  const res = await db.query<{ id: string }>(
    `INSERT INTO alert_deliveries (channel, recipient, receiver, target_key, group_key, payload)
     SELECT 'webhook', 'http://127.0.0.1', 'broken-hook', 'webhook_configs[0]', 'broken-' || g,
            jsonb_build_object('receiver', 'broken-hook', 'status', 'firing', 'alerts', '[]'::jsonb, 'groupLabels', '{}'::jsonb,
                               'commonLabels', '{}'::jsonb, 'commonAnnotations', '{}'::jsonb, 'externalURL', '', 'groupKey', 'broken-' || g, 'truncatedAlerts', 0)
       FROM generate_series(1, $1::int) g
     RETURNING id::text`,
    [n],
  );
  return res.rows.map((r) => r.id);
}
