import { FakeClock } from '../common/clock.js';
import { type HeartbeatConfig, HeartbeatSource } from '../config/config.types.js';
import {
  applyBeat,
  cbStalenessValue,
  desiredSelfAlerts,
  evaluateSlo,
  heartbeatStatus,
  sloDefinitions,
} from './slo-math.js';
import { type HeartbeatRecord, HeartbeatState, type SloDefinition, SloName, type SloRecord, SloState } from './slo.types.js';

const cbConfig: HeartbeatConfig = {
  name: 'circuit-breaker',
  max_staleness: '10s',
  max_staleness_ms: 10_000,
  target: '5s',
  target_ms: 5_000,
  severity: 'critical',
  source: HeartbeatSource.Api,
  description: null,
};

const defs = sloDefinitions([cbConfig]);
const def = (name: SloName): SloDefinition => defs.find((d) => d.name === name) as SloDefinition;

/** Runs a series of values through `evaluateSlo`, advancing the clock 10 s before each. */
function run(name: SloName, values: (number | null)[], clock: FakeClock): SloRecord[] {
  const out: SloRecord[] = [];
  let prev: SloRecord | null = null;
  for (const v of values) {
    clock.advance(10_000);
    prev = evaluateSlo(def(name), v, prev, clock.now());
    out.push(prev);
  }
  return out;
}

describe('sloDefinitions', () => {
  it('should take the CB target and threshold from the circuit-breaker heartbeat', () => {
    const custom = sloDefinitions([{ ...cbConfig, target_ms: 2_000, max_staleness_ms: 30_000 }]);
    expect(custom.find((d) => d.name === SloName.CbStaleness)).toMatchObject({ target: 2, threshold: 30 });
  });

  it('should use the SPEC thresholds and units', () => {
    expect(defs.map((d) => [d.name, d.unit, d.target, d.threshold, d.alertname, d.severity])).toEqual([
      ['cb_staleness', 'seconds', 5, 10, 'CircuitBreakerStale', 'critical'],
      ['alert_delivery_p95', 'seconds', 60, 60, 'AlertDeliveryLatencyHigh', 'warning'],
      ['audit_write_p95', 'seconds', 1, 1, 'AuditWriteLatencyHigh', 'warning'],
      ['poison_queue_size', 'deliveries', 0, 10, 'PoisonQueueBacklog', 'critical'],
    ]);
  });
});

describe('evaluateSlo', () => {
  const cases: [SloName, number, number][] = [
    [SloName.AlertDeliveryP95, 12, 61],
    [SloName.AuditWriteP95, 0.02, 1.5],
    [SloName.PoisonQueueSize, 0, 11],
    [SloName.CbStaleness, 3, 10.5],
  ];

  it.each(cases)('should go ok → breach → ok for %s, moving since only on a change', (name, good, bad) => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const [a, b, c, d, e] = run(name, [good, bad, bad, good, good], clock);
    expect([a, b, c, d, e].map((r) => r.state)).toEqual(['ok', 'breach', 'breach', 'ok', 'ok']);
    expect(a.since.toISOString()).toBe('2026-01-01T00:00:10.000Z');
    expect(b.since.toISOString()).toBe('2026-01-01T00:00:20.000Z');
    expect(c.since).toEqual(b.since);
    expect(c.evaluatedAt.toISOString()).toBe('2026-01-01T00:00:30.000Z');
    expect(d.since.toISOString()).toBe('2026-01-01T00:00:40.000Z');
    expect(e.since).toEqual(d.since);
  });

  it.each(cases)('should be no_data for %s without a value, and leave it on the first value', (name, good) => {
    const clock = new FakeClock();
    const [a, b, c] = run(name, [null, null, good], clock);
    expect([a.state, b.state, c.state]).toEqual([SloState.NoData, SloState.NoData, SloState.Ok]);
    expect(b.since).toEqual(a.since);
    expect(c.since).toEqual(c.evaluatedAt);
  });

  it('should not breach at exactly the threshold (alert when above)', () => {
    expect(evaluateSlo(def(SloName.PoisonQueueSize), 10, null, new Date()).state).toBe(SloState.Ok);
    expect(evaluateSlo(def(SloName.CbStaleness), 10, null, new Date()).state).toBe(SloState.Ok);
    expect(evaluateSlo(def(SloName.AlertDeliveryP95), 60, null, new Date()).state).toBe(SloState.Ok);
  });
});

describe('heartbeatStatus', () => {
  const record = (over: Partial<HeartbeatRecord>, start: Date): HeartbeatRecord => ({
    name: 'circuit-breaker',
    registeredAt: start,
    watchStartedAt: start,
    lastBeatAt: null,
    lastState: null,
    lastSource: null,
    okSince: null,
    ...over,
  });

  it('should be no_data for max_staleness after the watch began, then stale', () => {
    const clock = new FakeClock();
    const rec = record({}, clock.now());
    clock.advance(10_000);
    expect(heartbeatStatus(10_000, rec, clock.now())).toMatchObject({ state: HeartbeatState.NoData, stalenessSeconds: null });
    clock.advance(1);
    const stale = heartbeatStatus(10_000, rec, clock.now());
    expect(stale.state).toBe(HeartbeatState.Stale);
    expect(stale.since.getTime()).toBe(rec.watchStartedAt.getTime() + 10_000);
    expect(cbStalenessValue(stale)).toBeCloseTo(10.001);
  });

  it('should be ok up to max_staleness after a beat, stale after, and ok again after the next beat', () => {
    const clock = new FakeClock();
    const start = clock.now();
    clock.advance(1000);
    let rec = record({}, start);
    const beat1 = applyBeat(rec, clock.now(), 'OPEN', 10_000, clock.now());
    rec = { ...rec, lastBeatAt: beat1.lastBeatAt, lastState: beat1.lastState, okSince: beat1.okSince };
    clock.advance(10_000);
    expect(heartbeatStatus(10_000, rec, clock.now())).toMatchObject({ state: HeartbeatState.Ok, stalenessSeconds: 10 });
    clock.advance(1000);
    const stale = heartbeatStatus(10_000, rec, clock.now());
    expect(stale).toMatchObject({ state: HeartbeatState.Stale, stalenessSeconds: 11 });
    expect(stale.since.getTime()).toBe(beat1.lastBeatAt.getTime() + 10_000);
    const beat2 = applyBeat(rec, clock.now(), 'OPEN', 10_000, clock.now());
    expect(beat2.okSince).toEqual(clock.now());
    rec = { ...rec, lastBeatAt: beat2.lastBeatAt, okSince: beat2.okSince };
    expect(heartbeatStatus(10_000, rec, clock.now())).toMatchObject({ state: HeartbeatState.Ok, since: clock.now() });
  });

  it('should keep okSince across timely beats and ignore a beat older than the last', () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const rec = record({ lastBeatAt: t0, okSince: t0 }, t0);
    const now = new Date(t0.getTime() + 5000);
    expect(applyBeat(rec, now, 'OPEN', 10_000, now).okSince).toEqual(t0);
    const old = applyBeat(rec, new Date(t0.getTime() - 5000), 'TRIPPED', 10_000, now);
    expect(old).toMatchObject({ newer: false, lastBeatAt: t0 });
  });

  it('should count a beat dated in the future as a beat now, so it neither holds the heartbeat ok nor hides later beats', () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const rec = record({}, clock.now());
    const ahead = applyBeat(rec, new Date('2099-01-01T00:00:00Z'), 'OPEN', 10_000, clock.now());
    expect(ahead).toMatchObject({ newer: true, lastBeatAt: clock.now(), lastState: 'OPEN' });
    const stored = { ...rec, lastBeatAt: ahead.lastBeatAt, lastState: ahead.lastState, okSince: ahead.okSince };
    clock.advance(11_000);
    expect(heartbeatStatus(10_000, stored, clock.now()).state).toBe(HeartbeatState.Stale);
    expect(applyBeat(stored, clock.now(), 'CLOSED', 10_000, clock.now())).toMatchObject({ newer: true, lastState: 'CLOSED' });
  });
});

describe('desiredSelfAlerts', () => {
  const now = new Date('2026-01-01T00:10:00Z');
  const breach = (name: SloName, value: number): SloRecord => ({ name, state: SloState.Breach, since: now, value, evaluatedAt: now });

  it('should raise the SPEC alert with its labels for each SLO in breach only', () => {
    const alerts = desiredSelfAlerts(defs, [breach(SloName.PoisonQueueSize, 11), { ...breach(SloName.AuditWriteP95, 0.1), state: SloState.Ok }], []);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].labels).toEqual({ alertname: 'PoisonQueueBacklog', severity: 'critical', slo: 'poison_queue_size', service: 'tocsin' });
  });

  it('should raise one alert for a stale circuit breaker and HeartbeatMissing for other stale heartbeats', () => {
    const stale = { state: HeartbeatState.Stale, since: now, stalenessSeconds: 20, silentSeconds: 20 };
    const alerts = desiredSelfAlerts(defs, [breach(SloName.CbStaleness, 20)], [
      { name: 'circuit-breaker', severity: 'critical', maxStalenessSeconds: 10, status: stale },
      { name: 'nightly-batch', severity: 'warning', maxStalenessSeconds: 10, status: stale },
      { name: 'fresh', severity: 'warning', maxStalenessSeconds: 10, status: { ...stale, state: HeartbeatState.Ok } },
    ]);
    expect(alerts.map((a) => a.labels.alertname).sort()).toEqual(['CircuitBreakerStale', 'HeartbeatMissing']);
    expect(alerts.find((a) => a.labels.alertname === 'HeartbeatMissing')?.labels).toEqual({
      alertname: 'HeartbeatMissing',
      severity: 'warning',
      heartbeat: 'nightly-batch',
      service: 'tocsin',
    });
  });
});
