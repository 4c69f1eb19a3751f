import { Injectable } from '@nestjs/common';
import type { Channel } from '../channels/channel-adapter.js';
import { sql, type Tx } from '../db/tx.js';
import type { AttemptView, DeliveryFilter, DeliveryView, PoisonSelector } from './deliveries.types.js';
import { type AttemptOutcome, DeliveryStatus } from './delivery.types.js';

interface DeliveryRow {
  id: string;
  status: DeliveryStatus;
  channel: Channel;
  receiver: string;
  recipient: string;
  fingerprints: string[];
  group_key: string;
  retry_count: number;
  error_message: string | null;
  created_at: Date;
  due_at: Date;
  delivered_at: Date | null;
  failed_at: Date | null;
  next_attempt_at: Date;
}

interface AttemptRow {
  started_at: Date;
  duration_ms: number;
  outcome: AttemptOutcome;
  provider: string;
  provider_status: number | null;
  provider_code: string | null;
  error: string | null;
}

/**
 * Every UPDATE … RETURNING here is wrapped in a CTE: TypeORM answers a bare UPDATE with
 * `[rows, count]`, a SELECT with the rows.
 */
const COLUMNS = `d.id::text, d.status, d.channel, d.receiver, d.recipient, d.fingerprints, d.group_key, d.retry_count,
  d.error_message, d.created_at, d.due_at, d.delivered_at, d.failed_at, d.next_attempt_at`;

const iso = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());

function toView(r: DeliveryRow): DeliveryView {
  const waiting = r.status === DeliveryStatus.Pending || r.status === DeliveryStatus.Sending;
  return {
    id: r.id,
    status: r.status,
    channel: r.channel,
    receiver: r.receiver,
    recipient: r.recipient,
    fingerprints: r.fingerprints,
    groupKey: r.group_key,
    retryCount: r.retry_count,
    errorMessage: r.error_message,
    createdAt: new Date(r.created_at).toISOString(),
    dueAt: new Date(r.due_at).toISOString(),
    deliveredAt: iso(r.delivered_at),
    failedAt: iso(r.failed_at),
    nextAttemptAt: waiting ? new Date(r.next_attempt_at).toISOString() : null,
  };
}

/** Builds `AND …` conditions with numbered parameters. */
class Where {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];
  add(condition: (p: string) => string, value: unknown): void {
    this.params.push(value);
    this.parts.push(condition(`$${this.params.length}`));
  }
  get text(): string {
    return this.parts.length === 0 ? 'TRUE' : this.parts.join(' AND ');
  }
}

function selectorWhere(s: PoisonSelector): Where {
  const w = new Where();
  w.parts.push(`d.status = 'poison'`);
  if (s.ids !== undefined) w.add((p) => `d.id = ANY(${p}::bigint[])`, s.ids);
  if (s.channel !== undefined) w.add((p) => `d.channel = ${p}`, s.channel);
  if (s.failedAfter !== undefined) w.add((p) => `d.failed_at >= ${p}`, s.failedAfter);
  if (s.failedBefore !== undefined) w.add((p) => `d.failed_at < ${p}`, s.failedBefore);
  return w;
}

/** The read and admin side of `alert_deliveries`: lists, detail, stats, poison replay and discard. */
@Injectable()
export class DeliveriesRepository {
  /** Newest first (by id); `limit` rows after the cursor id. */
  async list(tx: Tx, f: DeliveryFilter, limit: number, beforeId: string | null): Promise<DeliveryView[]> {
    const w = new Where();
    if (f.status !== undefined) w.add((p) => `d.status = ${p}`, f.status);
    if (f.channel !== undefined) w.add((p) => `d.channel = ${p}`, f.channel);
    if (f.receiver !== undefined) w.add((p) => `d.receiver = ${p}`, f.receiver);
    if (f.fingerprint !== undefined) w.add((p) => `d.fingerprints @> ARRAY[${p}::text]`, f.fingerprint);
    if (f.from !== undefined) w.add((p) => `d.created_at >= ${p}`, f.from);
    if (f.to !== undefined) w.add((p) => `d.created_at < ${p}`, f.to);
    if (beforeId !== null) w.add((p) => `d.id < ${p}::bigint`, beforeId);
    w.params.push(limit);
    const rows = await sql<DeliveryRow>(
      tx,
      `SELECT ${COLUMNS} FROM alert_deliveries d WHERE ${w.text} ORDER BY d.id DESC LIMIT $${w.params.length}`,
      w.params,
    );
    return rows.map(toView);
  }

  /** Poison deliveries, newest `failed_at` first; the cursor is the last id seen. */
  async listPoison(tx: Tx, channel: Channel | undefined, limit: number, afterId: string | null): Promise<DeliveryView[]> {
    const w = new Where();
    w.parts.push(`d.status = 'poison'`);
    if (channel !== undefined) w.add((p) => `d.channel = ${p}`, channel);
    if (afterId !== null) {
      w.add(
        (p) =>
          `(d.failed_at, d.id) < (SELECT c.failed_at, c.id FROM alert_deliveries c WHERE c.id = ${p}::bigint)`,
        afterId,
      );
    }
    w.params.push(limit);
    const rows = await sql<DeliveryRow>(
      tx,
      `SELECT ${COLUMNS} FROM alert_deliveries d WHERE ${w.text}
        ORDER BY d.failed_at DESC NULLS LAST, d.id DESC LIMIT $${w.params.length}`,
      w.params,
    );
    return rows.map(toView);
  }

  async findById(tx: Tx, id: string): Promise<DeliveryView | null> {
    const [row] = await sql<DeliveryRow>(tx, `SELECT ${COLUMNS} FROM alert_deliveries d WHERE d.id = $1`, [id]);
    return row ? toView(row) : null;
  }

  async attempts(tx: Tx, deliveryId: string): Promise<AttemptView[]> {
    const rows = await sql<AttemptRow>(
      tx,
      `SELECT started_at, duration_ms, outcome, provider, provider_status, provider_code, error
         FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`,
      [deliveryId],
    );
    return rows.map((r) => ({
      startedAt: new Date(r.started_at).toISOString(),
      durationMs: r.duration_ms,
      outcome: r.outcome,
      provider: r.provider,
      providerStatus: r.provider_status,
      providerCode: r.provider_code,
      error: r.error,
    }));
  }

  /** Counts of deliveries created in [since, now) by status and by channel and status. */
  async countsSince(tx: Tx, since: Date): Promise<Array<{ channel: Channel; status: DeliveryStatus; n: number }>> {
    const rows = await sql<{ channel: Channel; status: DeliveryStatus; n: string }>(
      tx,
      `SELECT channel, status, count(*)::text AS n FROM alert_deliveries WHERE created_at >= $1 GROUP BY channel, status`,
      [since],
    );
    return rows.map((r) => ({ channel: r.channel, status: r.status, n: Number(r.n) }));
  }

  /** Deliveries accepted by a provider since `since`, and the P95 of delivered_at − due_at in seconds. */
  async deliveredSince(tx: Tx, since: Date): Promise<{ count: number; p95Seconds: number | null }> {
    const [row] = await sql<{ n: string; p95: number | null }>(
      tx,
      `SELECT count(*)::text AS n,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - due_at))::float8 AS p95
         FROM alert_deliveries WHERE status = 'delivered' AND delivered_at >= $1`,
      [since],
    );
    return { count: Number(row.n), p95Seconds: row.p95 === null ? null : Number(row.p95) };
  }

  /**
   * Poison → pending with retry_count 0, only if it is still poison (so of two concurrent
   * replays exactly one gets the row). The re-pend trigger makes it due now and wakes workers.
   */
  async replayOne(tx: Tx, id: string): Promise<DeliveryView | null> {
    const [row] = await sql<DeliveryRow>(
      tx,
      `WITH d AS (UPDATE alert_deliveries SET status = 'pending', retry_count = 0
                   WHERE id = $1 AND status = 'poison' RETURNING *)
       SELECT ${COLUMNS} FROM d`,
      [id],
    );
    return row ? toView(row) : null;
  }

  /** The ids a bulk replay with this selector would take (ascending). */
  async selectPoison(tx: Tx, s: PoisonSelector): Promise<string[]> {
    const w = selectorWhere(s);
    const rows = await sql<{ id: string }>(tx, `SELECT d.id::text FROM alert_deliveries d WHERE ${w.text} ORDER BY d.id`, w.params);
    return rows.map((r) => r.id);
  }

  /** Replays every poison delivery the selector matches, in one statement; returns their ids (ascending). */
  async replayMany(tx: Tx, s: PoisonSelector): Promise<string[]> {
    const w = selectorWhere(s);
    const rows = await sql<{ id: string }>(
      tx,
      `WITH u AS (UPDATE alert_deliveries d SET status = 'pending', retry_count = 0 WHERE ${w.text} RETURNING d.id)
       SELECT id::text FROM u`,
      w.params,
    );
    return rows.map((r) => r.id).sort(compareIds);
  }

  async discard(tx: Tx, id: string): Promise<DeliveryView | null> {
    const [row] = await sql<DeliveryRow>(
      tx,
      `WITH d AS (UPDATE alert_deliveries SET status = 'discarded' WHERE id = $1 AND status = 'poison' RETURNING *)
       SELECT ${COLUMNS} FROM d`,
      [id],
    );
    return row ? toView(row) : null;
  }

  async exists(tx: Tx, id: string): Promise<boolean> {
    const rows = await sql(tx, `SELECT 1 FROM alert_deliveries WHERE id = $1`, [id]);
    return rows.length > 0;
  }
}

export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
