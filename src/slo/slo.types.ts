/** The four SLOs of SPEC §6, by their API `name`. */
export enum SloName {
  CbStaleness = 'cb_staleness',
  AlertDeliveryP95 = 'alert_delivery_p95',
  AuditWriteP95 = 'audit_write_p95',
  PoisonQueueSize = 'poison_queue_size',
}

/** Values of `slo_state.state` (backed by a CHECK constraint). */
export enum SloState {
  Ok = 'ok',
  Breach = 'breach',
  NoData = 'no_data',
}

export enum SloUnit {
  Seconds = 'seconds',
  Deliveries = 'deliveries',
}

/** What a heartbeat looks like at an instant. */
export enum HeartbeatState {
  Ok = 'ok',
  Stale = 'stale',
  NoData = 'no_data',
}

export enum SelfAlertName {
  CircuitBreakerStale = 'CircuitBreakerStale',
  AlertDeliveryLatencyHigh = 'AlertDeliveryLatencyHigh',
  AuditWriteLatencyHigh = 'AuditWriteLatencyHigh',
  PoisonQueueBacklog = 'PoisonQueueBacklog',
  HeartbeatMissing = 'HeartbeatMissing',
}

export enum AlertSeverity {
  Critical = 'critical',
  Warning = 'warning',
}

/** The heartbeat whose staleness is the `cb_staleness` SLO. */
export const CIRCUIT_BREAKER_HEARTBEAT = 'circuit-breaker';

/** The `service` label every self-alert carries. */
export const SELF_SERVICE = 'tocsin';

/** One SLO's fixed contract: unit, target and alert threshold (breach when value > threshold). */
export interface SloDefinition {
  name: SloName;
  unit: SloUnit;
  target: number;
  threshold: number;
  alertname: SelfAlertName;
  severity: AlertSeverity;
  description: string;
}

/** The stored state of one SLO (`slo_state`). */
export interface SloRecord {
  name: SloName;
  state: SloState;
  since: Date;
  value: number | null;
  evaluatedAt: Date;
}

/** A heartbeat row (`heartbeats`). */
export interface HeartbeatRecord {
  name: string;
  registeredAt: Date;
  /** When the current watch began (service start); the grace of a heartbeat that never beat runs from here. */
  watchStartedAt: Date;
  lastBeatAt: Date | null;
  lastState: string | null;
  lastSource: string | null;
  /** Start of the current run of beats that arrived in time. */
  okSince: Date | null;
}

/** `GET /api/v1/slo` item. */
export interface SloView {
  name: SloName;
  value: number | null;
  unit: SloUnit;
  target: number;
  threshold: number;
  state: SloState;
  since: string | null;
  evaluatedAt: string | null;
}

/** One recent change of the circuit breaker, from the Redis sorted set. */
export interface HeartbeatChange {
  at: string;
  state: string | null;
}

/** `GET /api/v1/heartbeats` item (and the reply to a beat). */
export interface HeartbeatView {
  name: string;
  source: string;
  lastBeatAt: string | null;
  lastState: string | null;
  stalenessSeconds: number | null;
  maxStalenessSeconds: number;
  targetSeconds: number;
  state: HeartbeatState;
  since: string;
  /** Redis source only: recent changes from `circuit_breaker:history`, newest first. */
  history?: HeartbeatChange[];
}
