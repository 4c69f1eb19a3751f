import { startWebhookSinkDouble, type WebhookSinkDouble, type WebhookV4Payload } from '../doubles/webhook-sink.double.js';
import type { ServiceProcess } from '../setup/process.js';
import { arrivalsByFingerprint, chaosConfigPath, killHard, maxInWindow, postAlerts, runId, startService, statusCounts, until } from './chaos-helpers.js';

const ALERTS = 1000;
const BATCH = 100;
/** One bucket for the sink's host, shared by the three replicas through PostgreSQL. */
const RATE_PER_S = 100;
const BURST = 20;
/**
 * A send reaches the double some time after its token was taken, and that delay varies (three
 * services, PostgreSQL and jest on two cores; a cold process's first sends are the slowest). The
 * engine absorbs it: each bucket is held TOCSIN_RATE_LIMIT_MARGIN_MS (default 150 ms) of refill
 * below its burst, so the double must see the configured bucket itself, with no allowance here.
 */
const ARRIVAL_JITTER_MS = 0;

describe('three replicas on one database, one SIGKILLed halfway', () => {
  let sink: WebhookSinkDouble;
  const replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    sink = await startWebhookSinkDouble();
  });
  afterAll(async () => {
    for (const r of replicas) await killHard(r);
    await sink?.close();
  });

  it('should deliver all 1,000 alerts, none more than twice, never above the per-target rate limit', async () => {
    const started = Date.now();
    const receiver = `chaos-replicas-${runId()}`;
    const config = chaosConfigPath(receiver, sink.url, `{ rate: ${RATE_PER_S}, per: 1s, burst: ${BURST} }`);
    replicas.push(...(await Promise.all([0, 1, 2].map(() => startService(config)))));

    // Batches of 100, spread over the replicas.
    const posted = (
      await Promise.all(
        Array.from({ length: ALERTS / BATCH }, (_, b) => postAlerts(replicas[b % 3].url, receiver, b * BATCH, (b + 1) * BATCH)),
      )
    ).flat();
    const fingerprints = new Set(posted.map((a) => a.fingerprint));
    const ids = posted.flatMap((a) => a.deliveries);
    expect(fingerprints.size).toBe(ALERTS);
    expect(ids).toHaveLength(ALERTS);

    await until(async () => arrivalsByFingerprint(sink, receiver).size, (n) => n >= ALERTS / 2, 30_000, 'half of the alerts delivered');
    await killHard(replicas[1]);
    expect((await replicas[1].exited).signal).toBe('SIGKILL');
    expect(arrivalsByFingerprint(sink, receiver).size).toBeLessThan(ALERTS);

    await until(
      async () => arrivalsByFingerprint(sink, receiver),
      (seen) => [...fingerprints].every((f) => seen.has(f)),
      45_000,
      `all ${ALERTS} alerts seen at the double`,
    );
    await until(() => statusCounts(ids), (c) => c.delivered === ALERTS, 10_000, 'every delivery row delivered');

    const seen = arrivalsByFingerprint(sink, receiver);
    expect([...seen.keys()].filter((f) => !fingerprints.has(f))).toEqual([]);
    expect([...seen].filter(([, n]) => n > 2)).toEqual([]);

    // Token bucket as the provider counts it: at most burst + rate × window arrivals in any window, plus one token for bucket edges.
    const arrivals = sink.requests
      .filter((r) => (r.json as WebhookV4Payload | undefined)?.receiver === receiver)
      .map((r) => r.receivedAt.getTime())
      .sort((a, b) => a - b);
    const windows = [100, 500, 1000, 3000, 8000].map((windowMs) => ({
      windowMs,
      max: maxInWindow(arrivals, windowMs),
      allowed: BURST + Math.ceil((RATE_PER_S * (windowMs + ARRIVAL_JITTER_MS)) / 1000) + 1,
    }));
    expect(windows.filter((w) => w.max > w.allowed)).toEqual([]);

    await Promise.all([killHard(replicas[0]), killHard(replicas[2])]);
    expect(Date.now() - started).toBeLessThan(90_000);
  }, 90_000);
});
