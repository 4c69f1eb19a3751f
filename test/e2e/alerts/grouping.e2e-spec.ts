import { FakeClock } from '../../../src/common/clock.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { deliveries, flusher, post, query, resetAlertTables, webhookConfig, QUIET } from './alerts-helpers.js';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const S = 1000;
const M = 60 * S;
const FAR = new Date(T0 + 24 * 3600 * S).toISOString();

const CONFIG = webhookConfig({ receiver: 'timeline', groupWait: '30s', groupInterval: '5m', repeatInterval: '1h' });

async function postAlert(app: TestApp, name: string, instance: string, endsAt = FAR) {
  const res = await post(app, '/api/v1/alerts', [{ labels: { alertname: name, instance }, endsAt }]);
  expect(res.status).toBe(202);
  return res.body as { alerts: { fingerprint: string; status: string; deliveries: string[] }[] };
}

/** Alert names of this file; Tocsin's own SLO alerts (other group keys) may share the tables and are ignored. */
const OURS = new Set(['Timeline', 'Timeout', 'Restart', 'Crash', 'Race']);
const ours = async (app: TestApp) => (await deliveries(app)).filter((d) => OURS.has((d.payload as unknown as { groupLabels: Record<string, string> }).groupLabels.alertname));

/** Advances the clock to `ms` after T0 and runs the due flushes; returns the deliveries created for this file's alerts. */
async function tick(app: TestApp, clock: FakeClock, ms: number) {
  const before = (await ours(app)).length;
  clock.set(at(ms));
  await flusher(app).flushDue(at(ms));
  return (await ours(app)).slice(before);
}

const summary = (d: { payload: { status: string; alerts: { status: string; labels: Record<string, string> }[] } }) => ({
  status: d.payload.status,
  alerts: d.payload.alerts.map((a) => `${a.labels.instance}:${a.status}`).sort(),
});

describe('notification groups (FakeClock timeline)', () => {
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

  it('should notify after group_wait, then at group_interval when changed, then at repeat_interval, then on resolution', async () => {
    const first = await postAlert(app, 'Timeline', 'a');
    expect(first.alerts[0].deliveries).toEqual([]);

    expect(await tick(app, clock, 29 * S)).toEqual([]);
    const wait = await tick(app, clock, 30 * S);
    expect(wait.map(summary)).toEqual([{ status: 'firing', alerts: ['a:firing'] }]);
    expect(wait[0].due_at.toISOString()).toBe(at(30 * S).toISOString());

    clock.set(at(1 * M));
    await postAlert(app, 'Timeline', 'b');
    expect(await tick(app, clock, 2 * M)).toEqual([]);
    expect(await tick(app, clock, 5 * M + 29 * S)).toEqual([]);
    expect((await tick(app, clock, 5 * M + 30 * S)).map(summary)).toEqual([{ status: 'firing', alerts: ['a:firing', 'b:firing'] }]);

    // nothing changed: silent ticks until repeat_interval (1h after 5m30s) has passed at a tick
    for (let t = 10 * M + 30 * S; t <= 65 * M + 30 * S; t += 5 * M) expect(await tick(app, clock, t)).toEqual([]);
    expect((await tick(app, clock, 70 * M + 30 * S)).map(summary)).toEqual([{ status: 'firing', alerts: ['a:firing', 'b:firing'] }]);

    clock.set(at(71 * M));
    await postAlert(app, 'Timeline', 'a', at(71 * M).toISOString());
    expect((await tick(app, clock, 75 * M + 30 * S)).map(summary)).toEqual([{ status: 'firing', alerts: ['a:resolved', 'b:firing'] }]);

    clock.set(at(76 * M));
    await postAlert(app, 'Timeline', 'b', at(76 * M).toISOString());
    expect((await tick(app, clock, 80 * M + 30 * S)).map(summary)).toEqual([{ status: 'resolved', alerts: ['b:resolved'] }]);
    expect(await query(app, `SELECT id FROM notification_groups WHERE group_key LIKE '%Timeline%'`)).toEqual([]);
    expect(await tick(app, clock, 90 * M)).toEqual([]);
  });

  it('should resolve an alert without endsAt after resolve_timeout and notify the resolution', async () => {
    await post(app, '/api/v1/alerts', [{ labels: { alertname: 'Timeout', instance: 'x' } }]);
    expect((await tick(app, clock, 30 * S)).map(summary)).toEqual([{ status: 'firing', alerts: ['x:firing'] }]);
    const [row] = await query<{ ends_at: Date; ends_at_given: boolean }>(app, `SELECT ends_at, ends_at_given FROM alerts WHERE labels->>'alertname' = 'Timeout'`);
    expect(row).toEqual({ ends_at: at(5 * M), ends_at_given: false });
    expect(await tick(app, clock, 4 * M)).toEqual([]);
    // resolve_timeout 5m: it ends at 5m, and the next tick (5m30s) tells the receiver
    expect((await tick(app, clock, 5 * M + 30 * S)).map(summary)).toEqual([{ status: 'resolved', alerts: ['x:resolved'] }]);
  });

  it('should neither repeat nor skip a notification across a restart', async () => {
    await postAlert(app, 'Restart', 'a');
    expect(await tick(app, clock, 30 * S)).toHaveLength(1);
    clock.set(at(2 * M));
    await postAlert(app, 'Restart', 'b');
    await app.close();

    clock = new FakeClock(at(2 * M));
    app = await startTestApp({ clock, configYaml: CONFIG, env: QUIET });
    await flusher(app).stopPolling();
    expect(await tick(app, clock, 3 * M)).toEqual([]);
    expect(await tick(app, clock, 5 * M + 29 * S)).toEqual([]);
    expect((await tick(app, clock, 5 * M + 30 * S)).map(summary)).toEqual([{ status: 'firing', alerts: ['a:firing', 'b:firing'] }]);
    expect(await tick(app, clock, 10 * M + 30 * S)).toEqual([]);
  });

  it('should redo a flush that failed half-way exactly once', async () => {
    await postAlert(app, 'Crash', 'a');
    await query(
      app,
      `CREATE OR REPLACE FUNCTION tocsin_test_fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'simulated crash during flush'; END $$`,
    );
    await query(app, `CREATE TRIGGER tocsin_test_fail_insert_trg BEFORE INSERT ON alert_deliveries FOR EACH STATEMENT EXECUTE FUNCTION tocsin_test_fail_insert()`);
    try {
      clock.set(at(30 * S));
      await expect(flusher(app).flushDue(at(30 * S))).rejects.toThrow(/simulated crash/);
    } finally {
      await query(app, `DROP TRIGGER tocsin_test_fail_insert_trg ON alert_deliveries`);
      await query(app, `DROP FUNCTION tocsin_test_fail_insert()`);
    }
    const [group] = await query<{ last_flush_at: Date | null; target_log: object }>(app, `SELECT last_flush_at, target_log FROM notification_groups WHERE group_key LIKE '%Crash%'`);
    expect(group).toEqual({ last_flush_at: null, target_log: {} });
    expect(await ours(app)).toEqual([]);

    expect((await tick(app, clock, 31 * S)).map(summary)).toEqual([{ status: 'firing', alerts: ['a:firing'] }]);
    expect(await tick(app, clock, 32 * S)).toEqual([]);
  });

  it('should not let two concurrent flush passes notify a group twice', async () => {
    await postAlert(app, 'Race', 'a');
    clock.set(at(30 * S));
    await Promise.all([flusher(app).flushDue(at(30 * S)), flusher(app).flushDue(at(30 * S)), flusher(app).flushDue(at(30 * S))]);
    expect(await ours(app)).toHaveLength(1);
  });
});
