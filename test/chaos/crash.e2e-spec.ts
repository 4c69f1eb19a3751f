import { startWebhookSinkDouble, type WebhookSinkDouble } from '../doubles/webhook-sink.double.js';
import type { ServiceProcess } from '../setup/process.js';
import { arrivalsByFingerprint, chaosConfigPath, killHard, type PostedAlert, postAlerts, runId, startService, statusCounts, until } from './chaos-helpers.js';

const ALERTS = 200;

describe('SIGKILL while webhook sends hang', () => {
  let sink: WebhookSinkDouble;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    sink = await startWebhookSinkDouble();
  });
  afterAll(async () => {
    for (const s of services) await killHard(s);
    await sink?.close();
  });

  it('should deliver every accepted alert after a restart, duplicating only what was in flight at the kill', async () => {
    const started = Date.now();
    const receiver = `chaos-crash-${runId()}`;
    const config = chaosConfigPath(receiver, sink.url, '{ rate: 10000, per: 1s, burst: 10000 }');
    sink.hang();

    const first = await startService(config);
    services.push(first);
    const posted: PostedAlert[] = [];
    for (let from = 0; from < ALERTS; from += 50) posted.push(...(await postAlerts(first.url, receiver, from, from + 50)));
    const fingerprints = new Set(posted.map((a) => a.fingerprint));
    const ids = posted.flatMap((a) => a.deliveries);
    expect(fingerprints.size).toBe(ALERTS);
    expect(ids).toHaveLength(ALERTS);

    // Sends are hanging at the double: kill the process in the middle of them.
    await until(async () => sink.pending, (n) => n >= 8, 10_000, 'sends hanging at the double');
    await killHard(first);
    const inFlightAtKill = sink.pending;
    const seenBeforeKill = sink.requests.length;
    expect(inFlightAtKill).toBe(seenBeforeKill);
    expect(inFlightAtKill).toBeGreaterThanOrEqual(8);
    expect(inFlightAtKill).toBeLessThan(ALERTS);

    // The double answers again (the held requests go to a dead socket); a fresh process takes over.
    sink.release();
    const second = await startService(config);
    services.push(second);
    await until(
      async () => arrivalsByFingerprint(sink, receiver),
      (seen) => [...fingerprints].every((f) => seen.has(f)),
      45_000,
      `all ${ALERTS} alerts seen at the double`,
    );
    await until(() => statusCounts(ids), (c) => c.delivered === ALERTS, 10_000, 'every delivery row delivered');

    const seen = arrivalsByFingerprint(sink, receiver);
    expect([...seen.keys()].filter((f) => !fingerprints.has(f))).toEqual([]);
    const duplicates = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
    expect(duplicates).toBeLessThanOrEqual(inFlightAtKill);
    // Only deliveries that reached the double before the kill may arrive more than once.
    const beforeKill = new Set(
      sink.requests.slice(0, seenBeforeKill).flatMap((r) => (r.json as { alerts: Array<{ fingerprint: string }> }).alerts.map((a) => a.fingerprint)),
    );
    expect([...seen].filter(([f, n]) => n > 1 && !beforeKill.has(f))).toEqual([]);

    await killHard(second);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 60_000);
});
