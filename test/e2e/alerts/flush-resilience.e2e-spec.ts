import { FakeClock } from '../../../src/common/clock.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { deliveries, flusher, post, query, resetAlertTables, webhookConfig, QUIET } from './alerts-helpers.js';

const T0 = Date.parse('2026-03-03T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const FAR = new Date(T0 + 24 * 3600_000).toISOString();

const CONFIG = webhookConfig({ receiver: 'resilience', groupWait: '30s', groupInterval: '5m', repeatInterval: '1h' });

/** Makes every delivery INSERT for the `Broken` alertname fail, as a flush bug for one group would. */
async function breakGroup(app: TestApp): Promise<() => Promise<void>> {
  await query(
    app,
    `CREATE OR REPLACE FUNCTION tocsin_test_fail_broken() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF NEW.payload->'groupLabels'->>'alertname' = 'Broken' THEN RAISE EXCEPTION 'simulated flush failure of one group'; END IF;
       RETURN NEW;
     END $$`,
  );
  await query(app, `CREATE TRIGGER tocsin_test_fail_broken_trg BEFORE INSERT ON alert_deliveries FOR EACH ROW EXECUTE FUNCTION tocsin_test_fail_broken()`);
  return async () => {
    await query(app, `DROP TRIGGER IF EXISTS tocsin_test_fail_broken_trg ON alert_deliveries`);
    await query(app, `DROP FUNCTION IF EXISTS tocsin_test_fail_broken()`);
  };
}

const names = async (app: TestApp) => (await deliveries(app)).map((d) => (d.payload as unknown as { groupLabels: Record<string, string> }).groupLabels.alertname).sort();

describe('group flush resilience', () => {
  let app: TestApp;
  let clock: FakeClock;

  beforeEach(async () => {
    clock = new FakeClock(at(0));
    app = await startTestApp({ clock, configYaml: CONFIG, env: QUIET });
    await flusher(app).stopPolling();
    await resetAlertTables(app);
  });
  afterEach(async () => {
    await app?.close();
  });

  it('should flush the other due groups when one group fails every flush (no head-of-line blocking)', async () => {
    // Broken is created first, so it is first in the claim order (next_flush_at, id).
    expect((await post(app, '/api/v1/alerts', [{ labels: { alertname: 'Broken', instance: 'a' }, endsAt: FAR }])).status).toBe(202);
    expect((await post(app, '/api/v1/alerts', [{ labels: { alertname: 'Healthy', instance: 'a' }, endsAt: FAR }])).status).toBe(202);
    const unbreak = await breakGroup(app);
    try {
      clock.set(at(30_000));
      await expect(flusher(app).flushDue(at(30_000))).rejects.toThrow(/simulated flush failure/);
      expect(await names(app)).toEqual(['Healthy']);
      // the next pass retries the failing group and still does not block (nor repeat) the others
      clock.set(at(31_000));
      await expect(flusher(app).flushDue(at(31_000))).rejects.toThrow(/simulated flush failure/);
      expect(await names(app)).toEqual(['Healthy']);
    } finally {
      await unbreak();
    }
    // once the fault is gone, the failed group flushes (late, never lost)
    clock.set(at(32_000));
    expect(await flusher(app).flushDue(at(32_000))).toBe(1);
    expect(await names(app)).toEqual(['Broken', 'Healthy']);
  });
});
