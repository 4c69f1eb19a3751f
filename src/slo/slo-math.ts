/**
 * The SLO and heartbeat arithmetic, free of I/O: every function takes `now` as a parameter.
 * A value above the threshold is a breach; no value is `no_data`; `since` moves only when the
 * state changes.
 */
import type { HeartbeatConfig } from '../config/config.types.js';
import {
  AlertSeverity,
  CIRCUIT_BREAKER_HEARTBEAT,
  type HeartbeatRecord,
  HeartbeatState,
  SELF_SERVICE,
  SelfAlertName,
  type SloDefinition,
  SloName,
  type SloRecord,
  SloState,
  SloUnit,
} from './slo.types.js';

/** SPEC §6 defaults for the circuit breaker when no `circuit-breaker` heartbeat is configured. */
const CB_DEFAULT_TARGET_S = 5;
const CB_DEFAULT_THRESHOLD_S = 10;

/** The four SLOs; the circuit-breaker heartbeat's `target` and `max_staleness` are CB staleness' target and threshold. */
export function sloDefinitions(heartbeats: readonly HeartbeatConfig[]): SloDefinition[] {
  const cb = heartbeats.find((h) => h.name === CIRCUIT_BREAKER_HEARTBEAT);
  return [
    {
      name: SloName.CbStaleness,
      unit: SloUnit.Seconds,
      target: cb ? cb.target_ms / 1000 : CB_DEFAULT_TARGET_S,
      threshold: cb ? cb.max_staleness_ms / 1000 : CB_DEFAULT_THRESHOLD_S,
      alertname: SelfAlertName.CircuitBreakerStale,
      severity: AlertSeverity.Critical,
      description: 'No circuit-breaker heartbeat within its max_staleness',
    },
    {
      name: SloName.AlertDeliveryP95,
      unit: SloUnit.Seconds,
      target: 60,
      threshold: 60,
      alertname: SelfAlertName.AlertDeliveryLatencyHigh,
      severity: AlertSeverity.Warning,
      description: 'P95 of notification delivery latency (due to provider acceptance) over the SLO window',
    },
    {
      name: SloName.AuditWriteP95,
      unit: SloUnit.Seconds,
      target: 1,
      threshold: 1,
      alertname: SelfAlertName.AuditWriteLatencyHigh,
      severity: AlertSeverity.Warning,
      description: 'P95 of audit log write time over the SLO window',
    },
    {
      name: SloName.PoisonQueueSize,
      unit: SloUnit.Deliveries,
      target: 0,
      threshold: 10,
      alertname: SelfAlertName.PoisonQueueBacklog,
      severity: AlertSeverity.Critical,
      description: 'Deliveries waiting in the poison queue',
    },
  ];
}

/** Start of the SLO window ending at `now`. */
export function windowStart(now: Date, windowMs: number): Date {
  return new Date(now.getTime() - windowMs);
}

/** The state a value puts an SLO in, and since when (kept from `previous` while the state holds). */
export function evaluateSlo(def: SloDefinition, value: number | null, previous: SloRecord | null, now: Date): SloRecord {
  const state = value === null ? SloState.NoData : value > def.threshold ? SloState.Breach : SloState.Ok;
  const since = previous && previous.state === state ? previous.since : now;
  return { name: def.name, state, since, value, evaluatedAt: now };
}

export interface HeartbeatStatus {
  state: HeartbeatState;
  since: Date;
  /** Seconds since the last beat; null when it never beat. */
  stalenessSeconds: number | null;
  /** Seconds the signal has been missing: since the last beat, or since the watch began when it never beat. */
  silentSeconds: number;
}

/**
 * A heartbeat at `now`: `ok` while its last beat is at most `max_staleness` old, `stale` after;
 * one that never beat is `no_data` for its first `max_staleness` after the watch began, then stale.
 */
export function heartbeatStatus(maxStalenessMs: number, rec: HeartbeatRecord, now: Date): HeartbeatStatus {
  const t = now.getTime();
  if (rec.lastBeatAt === null) {
    const waited = Math.max(0, t - rec.watchStartedAt.getTime());
    const silentSeconds = waited / 1000;
    if (waited <= maxStalenessMs) return { state: HeartbeatState.NoData, since: rec.watchStartedAt, stalenessSeconds: null, silentSeconds };
    return { state: HeartbeatState.Stale, since: new Date(rec.watchStartedAt.getTime() + maxStalenessMs), stalenessSeconds: null, silentSeconds };
  }
  const ageMs = Math.max(0, t - rec.lastBeatAt.getTime());
  const stalenessSeconds = ageMs / 1000;
  if (ageMs > maxStalenessMs) {
    return { state: HeartbeatState.Stale, since: new Date(rec.lastBeatAt.getTime() + maxStalenessMs), stalenessSeconds, silentSeconds: stalenessSeconds };
  }
  return { state: HeartbeatState.Ok, since: rec.okSince ?? rec.lastBeatAt, stalenessSeconds, silentSeconds: stalenessSeconds };
}

export interface BeatUpdate {
  lastBeatAt: Date;
  lastState: string | null;
  okSince: Date;
  /** false when the beat is older than the one stored (kept for the record, state unchanged). */
  newer: boolean;
}

/**
 * How a beat at `at` changes the stored heartbeat: the run of timely beats goes on, or starts again
 * at `at`. A beat dated after `now` (a sender's clock ahead) counts as a beat now: kept as dated,
 * it would hold the heartbeat ok, and hide every later beat as older, until that future time.
 */
export function applyBeat(previous: HeartbeatRecord | null, claimedAt: Date, state: string | null, maxStalenessMs: number, now: Date): BeatUpdate {
  const at = claimedAt.getTime() > now.getTime() ? now : claimedAt;
  const last = previous?.lastBeatAt ?? null;
  if (last !== null && at.getTime() < last.getTime()) {
    return { lastBeatAt: last, lastState: previous?.lastState ?? null, okSince: previous?.okSince ?? last, newer: false };
  }
  const continues = last !== null && previous?.okSince != null && at.getTime() - last.getTime() <= maxStalenessMs;
  return { lastBeatAt: at, lastState: state, okSince: continues ? (previous?.okSince as Date) : at, newer: true };
}

/** The value of CB staleness: seconds the circuit breaker has been silent, null while there is no data yet. */
export function cbStalenessValue(status: HeartbeatStatus | null): number | null {
  if (!status || status.state === HeartbeatState.NoData) return null;
  return status.silentSeconds;
}

export interface DesiredSelfAlert {
  /** Stable identity: `slo:<name>` or `heartbeat:<name>`. */
  key: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
}

export interface HeartbeatForAlert {
  name: string;
  severity: string;
  maxStalenessSeconds: number;
  status: HeartbeatStatus;
}

function fmt(n: number | null): string {
  return n === null ? 'no data' : String(Math.round(n * 1000) / 1000);
}

/**
 * The self-alerts that must fire: one per SLO in breach (SPEC §6 names and severities), and
 * `HeartbeatMissing` for each stale heartbeat other than the circuit breaker (whose staleness
 * is already `CircuitBreakerStale`: one stale breaker, one alert).
 */
export function desiredSelfAlerts(
  defs: readonly SloDefinition[],
  records: readonly SloRecord[],
  heartbeats: readonly HeartbeatForAlert[],
): DesiredSelfAlert[] {
  const out: DesiredSelfAlert[] = [];
  for (const def of defs) {
    const rec = records.find((r) => r.name === def.name);
    if (!rec || rec.state !== SloState.Breach) continue;
    out.push({
      key: `slo:${def.name}`,
      labels: { alertname: def.alertname, severity: def.severity, slo: def.name, service: SELF_SERVICE },
      annotations: {
        summary: `${def.name} is ${fmt(rec.value)} ${def.unit} (alert above ${def.threshold}, target ${def.target})`,
        description: def.description,
      },
      startsAt: rec.since,
    });
  }
  for (const hb of heartbeats) {
    if (hb.name === CIRCUIT_BREAKER_HEARTBEAT || hb.status.state !== HeartbeatState.Stale) continue;
    out.push({
      key: `heartbeat:${hb.name}`,
      labels: { alertname: SelfAlertName.HeartbeatMissing, severity: hb.severity, heartbeat: hb.name, service: SELF_SERVICE },
      annotations: {
        summary: `heartbeat ${hb.name} has been silent for ${fmt(hb.status.silentSeconds)} s (max_staleness ${hb.maxStalenessSeconds} s)`,
      },
      startsAt: hb.status.since,
    });
  }
  return out;
}
