/**
 * A webhook provider answering 503 for a long outage while 1,000 deliveries wait (1,000 alerts,
 * each its own group, flushed at ingest). Backoff is capped at 5 s and max_attempts is high
 * enough that nothing poisons. Proves, from the double's own request log:
 * - every delivery arrives once the provider is back, and none is sent again after its 2xx;
 * - the retries follow the schedule (full jitter in [0, min(5 s, 100 ms · 2^(n-1)))): for every
 *   retry level the mean wait is at least 80 % of the schedule's mean, no delivery is tried more
 *   often than the schedule allows, and there is no retry storm;
 * - the per-target rate limit holds in every 1 s window, outage and recovery alike.
 *
 * The outage lasts 60 s (CHAOS_PROVIDER_OUTAGE_MS shortens it for a quick local run): with a 5 s
 * cap the backoff reaches its ceiling after 7 failures, so the minute holds ~20 capped retries
 * per delivery.
 */
import { DeliveryWorker } from '../../src/delivery/delivery.worker.js';
import { startWebhookSinkDouble, type WebhookSinkDouble, type WebhookV4Payload } from '../doubles/webhook-sink.double.js';
import { startTestApp, type TestApp } from '../setup/app.js';
import { waitFor } from '../setup/process.js';
import { maxInWindow, statusCounts } from './chaos-helpers.js';

const OUTAGE_MS = Number(process.env.CHAOS_PROVIDER_OUTAGE_MS ?? 60_000);
const ALERTS = 1000;
const INITIAL_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;
const RATE_PER_S = 400;
const BURST = 40;

/** The ceiling of the jitter window after the n-th failure (n ≥ 1), as the config sets it. */
const ceilingMs = (failures: number): number => Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** (failures - 1));

describe('provider outage with 1,000 deliveries waiting', () => {
  let app: TestApp;
  let sink: WebhookSinkDouble;
  const receiver = `provider-outage-${Date.now().toString(36)}`;

  beforeAll(async () => {
    sink = await startWebhookSinkDouble();
    sink.respondWith({ status: 503, body: 'provider down' });
    app = await startTestApp({
      env: { TOCSIN_SLO: '0' }, // no self-alerts among the arrivals this test counts
      configYaml: `
route:
  receiver: ${receiver}
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1h
  repeat_interval: 24h
delivery:
  max_attempts: 200
  initial_backoff: ${INITIAL_BACKOFF_MS}ms
  max_backoff: ${MAX_BACKOFF_MS / 1000}s
  attempt_timeout: 2s
channels:
  webhook:
    rate_limit: { rate: ${RATE_PER_S}, per: 1s, burst: ${BURST} }
receivers:
  - name: ${receiver}
    webhook_configs: [{ url: "${sink.url}/provider-outage" }]
`,
    });
  });

  afterAll(async () => {
    await app?.close();
    await sink?.close();
  });

  it('should deliver everything once the provider returns, along the backoff schedule and within the rate limit', async () => {
    const started = Date.now();
    const ids: string[] = [];
    for (let from = 0; from < ALERTS; from += 100) {
      const body = Array.from({ length: 100 }, (_, i) => ({ labels: { alertname: `${receiver}-${from + i}` }, annotations: { summary: 'provider outage' } }));
      const res = await fetch(`${app.url}/api/v1/alerts`, { method: 'POST', headers: { ...app.admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(202);
      ids.push(...((await res.json()) as { alerts: { deliveries: string[] }[] }).alerts.flatMap((a) => a.deliveries));
    }
    expect(ids).toHaveLength(ALERTS);

    await waitFor(() => Date.now() - started >= OUTAGE_MS, OUTAGE_MS + 5000, 'the outage to last');
    sink.respondWith({ status: 200, body: '' });
    const backAt = sink.requests.length;
    const backTime = Date.now();
    await waitFor(async () => (await statusCounts(ids)).delivered === ALERTS, 60_000, `all ${ALERTS} deliveries delivered`);
    const drainMs = Date.now() - backTime;
    // Let a stray late duplicate show itself before counting.
    await app.app.get(DeliveryWorker).whenIdle(10_000);

    const nameOf = (i: number): string => ((sink.requests[i].json as WebhookV4Payload).alerts[0]?.labels.alertname ?? '?');
    const counts = await statusCounts(ids);
    expect(counts).toEqual({ delivered: ALERTS });

    // Once back: each alert arrives exactly once, and nothing of an alert comes after its 2xx.
    const after = new Map<string, number>();
    for (let i = backAt; i < sink.requests.length; i++) after.set(nameOf(i), (after.get(nameOf(i)) ?? 0) + 1);
    expect(after.size).toBe(ALERTS);
    expect([...after].filter(([, n]) => n > 1)).toEqual([]);

    // The attempts of each delivery, in order: those during the outage and the first one after it.
    const tries = new Map<string, number[]>();
    for (let i = 0; i < sink.requests.length; i++) {
      const name = nameOf(i);
      const times = tries.get(name) ?? [];
      if (i >= backAt && times.length > 0 && times[times.length - 1] >= backTime) continue;
      tries.set(name, [...times, sink.requests[i].receivedAt.getTime()]);
    }
    expect(tries.size).toBe(ALERTS);
    // Waits after the n-th failure, across all deliveries. Only a wait whose whole jitter window
    // (plus 2 s of claim latency) fits before the provider came back counts, or a long outage
    // would keep the short waits of each level and cut off the long ones.
    const waitsByLevel = new Map<number, number[]>();
    for (const times of tries.values()) {
      for (let n = 1; n < times.length; n++) {
        if (times[n - 1] + ceilingMs(n) + 2000 > backTime) break;
        waitsByLevel.set(n, [...(waitsByLevel.get(n) ?? []), times[n] - times[n - 1]]);
      }
    }
    const levels = [...waitsByLevel].filter(([, waits]) => waits.length >= 200);
    const total = backAt;
    const most = Math.max(...[...tries.values()].map((t) => t.filter((at) => at < backTime).length));
    process.stdout.write(
      `provider outage: ${OUTAGE_MS} ms down, ${total} attempts during it (${(total / ALERTS).toFixed(1)} per delivery, at most ${most}), ` +
        `mean wait per retry level ${JSON.stringify(levels.map(([n, w]) => [n, Math.round(w.reduce((x, y) => x + y, 0) / w.length)]))}, drained in ${drainMs} ms\n`,
    );
    // Enough retry levels reached by most deliveries for the means below to say something.
    expect(levels.length).toBeGreaterThanOrEqual(4);
    for (const [n, waits] of levels) {
      const mean = waits.reduce((a, b) => a + b, 0) / waits.length;
      // Full jitter: uniform in [0, ceiling) has mean ceiling/2; rate-limit waits only add.
      if (mean < 0.8 * (ceilingMs(n) / 2)) throw new Error(`retry level ${n}: mean wait ${mean.toFixed(0)} ms, schedule mean ${ceilingMs(n) / 2} ms`);
    }
    // No delivery more often than the schedule allows: the capped waits average 2.5 s, so even a
    // delivery whose jitter always came out at a third of that stays under this bound.
    const uncappedLevels = Math.ceil(Math.log2(MAX_BACKOFF_MS / INITIAL_BACKOFF_MS)) + 1;
    const maxTries = uncappedLevels + 1 + Math.ceil((3 * OUTAGE_MS) / (MAX_BACKOFF_MS / 2));
    expect(most).toBeLessThanOrEqual(maxTries);
    // No storm: all deliveries together tried about as often as the schedule's mean waits allow.
    let expectedPerDelivery = 0;
    for (let n = 1, spent = 0; spent < OUTAGE_MS; n++) {
      spent += ceilingMs(n) / 2;
      expectedPerDelivery++;
    }
    expect(total / ALERTS).toBeLessThanOrEqual(1.25 * (expectedPerDelivery + 1));

    // The rate limit held in every 1 s window (a token is taken up to ~50 ms before the request
    // reaches the double, hence the margin of 50 ms of refill), and it did bind.
    const times = sink.requests.map((r) => r.receivedAt.getTime()).sort((a, b) => a - b);
    const busiest = maxInWindow(times, 1000);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    const limited = Number(/^rate_limit_events_total\{channel="webhook"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    process.stdout.write(`provider outage: schedule mean ${expectedPerDelivery + 1} attempts per delivery, busiest second ${busiest} sends, ${limited} rate-limit waits, total ${Date.now() - started} ms\n`);
    expect(busiest).toBeLessThanOrEqual(RATE_PER_S + BURST + RATE_PER_S * 0.05);
    expect(limited).toBeGreaterThan(0);
  }, OUTAGE_MS + 120_000);
});
