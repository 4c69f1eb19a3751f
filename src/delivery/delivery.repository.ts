import { Injectable } from '@nestjs/common';
import type { Channel, NotificationData } from '../channels/channel-adapter.js';
import { execute, sql, type Tx, updateReturning } from '../db/tx.js';
import { AttemptOutcome, DeliveryStatus } from './delivery.types.js';

/** A delivery a worker holds under a lease. */
export interface ClaimedDelivery {
  id: string;
  channel: Channel;
  recipient: string;
  receiver: string;
  targetKey: string;
  groupKey: string;
  fingerprints: string[];
  payload: NotificationData;
  /** Failed attempts so far. */
  retryCount: number;
  dueAt: Date;
  isSummary: boolean;
}

export interface AttemptRecord {
  deliveryId: string;
  startedAt: Date;
  durationMs: number;
  outcome: AttemptOutcome;
  provider: string;
  providerStatus?: number | null;
  providerCode?: string | null;
  error?: string | null;
  worker: string;
}

/** One failed attempt's outcome for a batch settle. */
export interface RetrySettle {
  id: string;
  retryCount: number;
  delayMs: number;
  error: string;
}

export interface PoisonSettle {
  id: string;
  retryCount: number;
  error: string;
}

/** The settles of many sends, written together (each guarded by the worker's lease). */
export interface SettleBatch {
  delivered: readonly string[];
  retries: readonly RetrySettle[];
  poisons: readonly PoisonSettle[];
}

export interface TargetStateRef {
  groupKey: string;
  receiver: string;
  targetKey: string;
}

/** Map key of a target's state in `targetStates`. */
export const targetStateKey = (r: TargetStateRef): string => `${r.groupKey}\u0000${r.receiver}\u0000${r.targetKey}`;

interface ClaimedRow {
  id: string;
  channel: Channel;
  recipient: string;
  receiver: string;
  target_key: string;
  group_key: string;
  fingerprints: string[];
  payload: NotificationData;
  retry_count: number;
  due_at: Date;
  is_summary: boolean;
}

/** The `ops_state` row that holds the pause switch; the claim query reads it. */
export const PAUSE_STATE_NAME = 'delivery.pause';

/**
 * The worker side of the outbox: claim due rows under a lease with `FOR UPDATE SKIP LOCKED`,
 * then settle each one (delivered, retry later, poison, wait for a rate-limit token, release).
 * Every settle is guarded by `claimed_by` and `status = 'sending'`, so a worker whose lease ran
 * out (and whose row another worker took) changes nothing. Times come from the database clock
 * (`now()`), the one clock all replicas share.
 */
@Injectable()
export class DeliveryRepository {
  /**
   * Claims up to `limit` due deliveries: `sending` rows whose lease expired (their worker died)
   * first, then `pending` rows whose `next_attempt_at` came, oldest first. Each kind is read in
   * its partial index's order and stops at the limit, so a claim costs the same with 10 or
   * 100,000 rows waiting. Nothing while deliveries are paused.
   *
   * The claim's transaction commits without waiting for its WAL flush (`synchronous_commit`
   * off for this transaction only): a claim lost to a database crash leaves the row as it was,
   * due or under its old lease, exactly as if this worker had died, so it is sent again (at
   * least once) and never lost; the settle that follows commits synchronously and flushes the
   * claim's WAL with its own.
   */
  async claimDue(tx: Tx, worker: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    if (limit <= 0) return [];
    const rows = await updateReturning<ClaimedRow>(
      tx,
      `WITH paused AS (
         SELECT EXISTS (SELECT 1 FROM ops_state WHERE name = $4 AND (value->>'paused')::boolean) AS yes
           FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit
       ), expired AS (
         SELECT id FROM alert_deliveries
          WHERE status = 'sending' AND lease_until < now() AND NOT (SELECT yes FROM paused)
          ORDER BY lease_until
          LIMIT $1
          FOR UPDATE SKIP LOCKED
       ), due AS (
         SELECT id FROM alert_deliveries
          WHERE status = 'pending' AND next_attempt_at <= now() AND NOT (SELECT yes FROM paused)
          ORDER BY next_attempt_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED
       ), locked AS (
         SELECT id FROM expired UNION ALL SELECT id FROM due LIMIT $1
       )
       UPDATE alert_deliveries d
          SET status = 'sending', claimed_by = $2, lease_until = now() + $3 * interval '1 millisecond'
         FROM locked WHERE d.id = locked.id
       RETURNING d.id::text, d.channel, d.recipient, d.receiver, d.target_key, d.group_key, d.fingerprints,
                 d.payload, d.retry_count, d.due_at, d.is_summary`,
      [limit, worker, leaseMs, PAUSE_STATE_NAME],
    );
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      recipient: r.recipient,
      receiver: r.receiver,
      targetKey: r.target_key,
      groupKey: r.group_key,
      fingerprints: r.fingerprints,
      payload: r.payload,
      retryCount: r.retry_count,
      dueAt: new Date(r.due_at),
      isSummary: r.is_summary,
    }));
  }

  async markDelivered(tx: Tx, id: string, worker: string): Promise<boolean> {
    const n = await execute(
      tx,
      `UPDATE alert_deliveries
          SET status = 'delivered', delivered_at = now(), error_message = NULL, claimed_by = NULL, lease_until = NULL
        WHERE id = $1 AND status = 'sending' AND claimed_by = $2`,
      [id, worker],
    );
    return n === 1;
  }

  /** Back to `pending` after a failed attempt, due again in `delayMs`. */
  async scheduleRetry(tx: Tx, id: string, worker: string, retryCount: number, delayMs: number, error: string): Promise<boolean> {
    const n = await execute(
      tx,
      `UPDATE alert_deliveries
          SET status = 'pending', retry_count = $3, error_message = $5,
              next_attempt_at = now() + $4 * interval '1 millisecond', claimed_by = NULL, lease_until = NULL
        WHERE id = $1 AND status = 'sending' AND claimed_by = $2`,
      [id, worker, retryCount, delayMs, error],
    );
    return n === 1;
  }

  async markPoison(tx: Tx, id: string, worker: string, retryCount: number, error: string): Promise<boolean> {
    const n = await execute(
      tx,
      `UPDATE alert_deliveries
          SET status = 'poison', retry_count = $3, error_message = $4, failed_at = now(), claimed_by = NULL, lease_until = NULL
        WHERE id = $1 AND status = 'sending' AND claimed_by = $2`,
      [id, worker, retryCount, error],
    );
    return n === 1;
  }

  /** Over a rate limit: wait `delayMs` for a token, neither an attempt nor a failure. */
  async postpone(tx: Tx, id: string, worker: string, delayMs: number): Promise<boolean> {
    const n = await execute(
      tx,
      `UPDATE alert_deliveries
          SET status = 'pending', next_attempt_at = now() + $3 * interval '1 millisecond', claimed_by = NULL, lease_until = NULL
        WHERE id = $1 AND status = 'sending' AND claimed_by = $2`,
      [id, worker, delayMs],
    );
    return n === 1;
  }

  /**
   * Settles many sends of one worker with one UPDATE per kind (delivered, retry, poison), each
   * guarded like the single-row settles. Returns the ids whose lease still held (settled).
   */
  async settleMany(tx: Tx, worker: string, batch: SettleBatch): Promise<Set<string>> {
    const settled = new Set<string>();
    if (batch.delivered.length > 0) {
      const rows = await updateReturning<{ id: string }>(
        tx,
        `UPDATE alert_deliveries
            SET status = 'delivered', delivered_at = now(), error_message = NULL, claimed_by = NULL, lease_until = NULL
          WHERE id = ANY($1::bigint[]) AND status = 'sending' AND claimed_by = $2
          RETURNING id::text`,
        [batch.delivered, worker],
      );
      for (const r of rows) settled.add(r.id);
    }
    if (batch.retries.length > 0) {
      const rows = await updateReturning<{ id: string }>(
        tx,
        `UPDATE alert_deliveries d
            SET status = 'pending', retry_count = r.retry_count, error_message = r.error,
                next_attempt_at = now() + r.delay_ms * interval '1 millisecond', claimed_by = NULL, lease_until = NULL
           FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, retry_count integer, delay_ms float8, error text)
          WHERE d.id = r.id AND d.status = 'sending' AND d.claimed_by = $2
          RETURNING d.id::text`,
        [JSON.stringify(batch.retries.map((r) => ({ id: r.id, retry_count: r.retryCount, delay_ms: r.delayMs, error: r.error }))), worker],
      );
      for (const r of rows) settled.add(r.id);
    }
    if (batch.poisons.length > 0) {
      const rows = await updateReturning<{ id: string }>(
        tx,
        `UPDATE alert_deliveries d
            SET status = 'poison', retry_count = r.retry_count, error_message = r.error, failed_at = now(),
                claimed_by = NULL, lease_until = NULL
           FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, retry_count integer, error text)
          WHERE d.id = r.id AND d.status = 'sending' AND d.claimed_by = $2
          RETURNING d.id::text`,
        [JSON.stringify(batch.poisons.map((r) => ({ id: r.id, retry_count: r.retryCount, error: r.error }))), worker],
      );
      for (const r of rows) settled.add(r.id);
    }
    return settled;
  }

  /** Over a rate limit, many rows at once (see `postpone`); returns the ids still ours. */
  async postponeMany(tx: Tx, ids: readonly string[], worker: string, delayMs: number): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await updateReturning<{ id: string }>(
      tx,
      `UPDATE alert_deliveries
          SET status = 'pending', next_attempt_at = now() + $3 * interval '1 millisecond', claimed_by = NULL, lease_until = NULL
        WHERE id = ANY($1::bigint[]) AND status = 'sending' AND claimed_by = $2
        RETURNING id::text`,
      [ids, worker, delayMs],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Gives claimed rows back unsent (shutdown): pending and due at once. Returns the ids released. */
  async release(tx: Tx, ids: readonly string[], worker: string): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await updateReturning<{ id: string }>(
      tx,
      `UPDATE alert_deliveries SET status = 'pending', claimed_by = NULL, lease_until = NULL
        WHERE id = ANY($1::bigint[]) AND status = 'sending' AND claimed_by = $2
        RETURNING id::text`,
      [ids, worker],
    );
    return rows.map((r) => r.id);
  }

  async recordAttempts(tx: Tx, attempts: readonly AttemptRecord[]): Promise<void> {
    if (attempts.length === 0) return;
    await execute(
      tx,
      `INSERT INTO delivery_attempts (delivery_id, started_at, duration_ms, outcome, provider, provider_status, provider_code, error, worker)
       SELECT a.delivery_id, a.started_at, a.duration_ms, a.outcome, a.provider, a.provider_status, a.provider_code, a.error, a.worker
         FROM jsonb_to_recordset($1::jsonb) AS a(delivery_id bigint, started_at timestamptz, duration_ms integer, outcome text,
              provider text, provider_status integer, provider_code text, error text, worker text)`,
      [
        JSON.stringify(
          attempts.map((a) => ({
            delivery_id: a.deliveryId,
            started_at: a.startedAt.toISOString(),
            duration_ms: Math.max(0, Math.round(a.durationMs)),
            outcome: a.outcome,
            provider: a.provider,
            provider_status: a.providerStatus ?? null,
            provider_code: a.providerCode ?? null,
            error: a.error ?? null,
            worker: a.worker,
          })),
        ),
      ],
    );
  }

  async targetState(tx: Tx, groupKey: string, receiver: string, targetKey: string): Promise<Record<string, unknown> | undefined> {
    const rows = await sql<{ state: Record<string, unknown> }>(
      tx,
      `SELECT state FROM target_state WHERE group_key = $1 AND receiver = $2 AND target_key = $3`,
      [groupKey, receiver, targetKey],
    );
    return rows[0]?.state;
  }

  /** The saved states of many targets in one query, keyed by `targetStateKey`. */
  async targetStates(tx: Tx, refs: readonly TargetStateRef[]): Promise<Map<string, Record<string, unknown>>> {
    if (refs.length === 0) return new Map();
    const rows = await sql<{ group_key: string; receiver: string; target_key: string; state: Record<string, unknown> }>(
      tx,
      `SELECT t.group_key, t.receiver, t.target_key, t.state
         FROM target_state t
         JOIN jsonb_to_recordset($1::jsonb) AS r(group_key text, receiver text, target_key text)
           ON t.group_key = r.group_key AND t.receiver = r.receiver AND t.target_key = r.target_key`,
      [JSON.stringify(refs.map((r) => ({ group_key: r.groupKey, receiver: r.receiver, target_key: r.targetKey })))],
    );
    return new Map(rows.map((r) => [targetStateKey({ groupKey: r.group_key, receiver: r.receiver, targetKey: r.target_key }), r.state]));
  }

  async saveTargetState(tx: Tx, groupKey: string, receiver: string, targetKey: string, state: Record<string, unknown>): Promise<void> {
    await execute(
      tx,
      `INSERT INTO target_state (group_key, receiver, target_key, state, updated_at) VALUES ($1, $2, $3, $4::jsonb, now())
       ON CONFLICT (group_key, receiver, target_key) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      [groupKey, receiver, targetKey, JSON.stringify(state)],
    );
  }

  /** Milliseconds until the next pending delivery is due (0 if one is due now), or null when none waits. */
  async msUntilNextDue(tx: Tx): Promise<number | null> {
    const rows = await sql<{ ms: number | null }>(
      tx,
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM (MIN(next_attempt_at) - now())) * 1000)::float8 AS ms
         FROM alert_deliveries WHERE status = $1`,
      [DeliveryStatus.Pending],
    );
    return rows[0]?.ms ?? null;
  }

  /** Poison deliveries per channel (the poison partial index answers it). */
  async poisonCounts(tx: Tx): Promise<Map<string, number>> {
    const rows = await sql<{ channel: string; n: number }>(
      tx,
      `SELECT channel, count(*)::int AS n FROM alert_deliveries WHERE status = $1 GROUP BY channel`,
      [DeliveryStatus.Poison],
    );
    return new Map(rows.map((r) => [r.channel, r.n]));
  }
}
