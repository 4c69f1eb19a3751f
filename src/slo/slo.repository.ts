import { Injectable } from '@nestjs/common';
import type { NotificationData } from '../channels/channel-adapter.js';
import { execute, sql, type Tx } from '../db/tx.js';
import type { SloName, SloRecord, SloState } from './slo.types.js';

/** A self-alert as last posted (`slo_self_alerts`). */
export interface PostedSelfAlert {
  key: string;
  labels: Record<string, string>;
  firing: boolean;
  startsAt: Date;
  postedAt: Date;
}

/** What the SLOs are computed from, over one window, as all replicas recorded it. */
@Injectable()
export class SloRepository {
  /** P95 of `delivered_at − due_at` (seconds) of deliveries delivered since `from`; null when none was. */
  async deliveryLatencyP95(tx: Tx, from: Date): Promise<number | null> {
    const rows = await sql<{ p95: number | null }>(
      tx,
      `SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY GREATEST(0, EXTRACT(EPOCH FROM (delivered_at - due_at))))::float8 AS p95
         FROM alert_deliveries WHERE status = 'delivered' AND delivered_at > $1`,
      [from.toISOString()],
    );
    return rows[0]?.p95 ?? null;
  }

  /** P95 of `audit_log.write_seconds` of entries written since `from`; null when none was. */
  async auditWriteP95(tx: Tx, from: Date): Promise<number | null> {
    const rows = await sql<{ p95: number | null }>(
      tx,
      `SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY write_seconds)::float8 AS p95 FROM audit_log WHERE at > $1`,
      [from.toISOString()],
    );
    return rows[0]?.p95 ?? null;
  }

  async poisonCount(tx: Tx): Promise<number> {
    const rows = await sql<{ n: number }>(tx, `SELECT count(*)::int AS n FROM alert_deliveries WHERE status = 'poison'`);
    return rows[0]?.n ?? 0;
  }

  async states(tx: Tx): Promise<SloRecord[]> {
    const rows = await sql<{ name: SloName; state: SloState; since: Date; value: number | null; evaluated_at: Date }>(
      tx,
      `SELECT name, state, since, value, evaluated_at FROM slo_state`,
    );
    return rows.map((r) => ({
      name: r.name,
      state: r.state,
      since: new Date(r.since),
      value: r.value,
      evaluatedAt: new Date(r.evaluated_at),
    }));
  }

  async saveStates(tx: Tx, records: readonly SloRecord[]): Promise<void> {
    if (records.length === 0) return;
    await execute(
      tx,
      `INSERT INTO slo_state (name, state, since, value, evaluated_at)
       SELECT r.name, r.state, r.since, r.value, r.evaluated_at
         FROM jsonb_to_recordset($1::jsonb) AS r(name text, state text, since timestamptz, value float8, evaluated_at timestamptz)
       ON CONFLICT (name) DO UPDATE
         SET state = EXCLUDED.state, since = EXCLUDED.since, value = EXCLUDED.value, evaluated_at = EXCLUDED.evaluated_at`,
      [
        JSON.stringify(
          records.map((r) => ({
            name: r.name,
            state: r.state,
            since: r.since.toISOString(),
            value: r.value,
            evaluated_at: r.evaluatedAt.toISOString(),
          })),
        ),
      ],
    );
  }

  /**
   * Fence: true while the session `pid` still holds the advisory lock `key`. Checked inside the
   * evaluation's transaction, so a leader whose session just died does not record an evaluation
   * that overlaps its successor's.
   */
  async holdsLock(tx: Tx, pid: number, key: number): Promise<boolean> {
    const rows = await sql<{ held: boolean }>(
      tx,
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1
                         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                         AND ((classid::bigint << 32) | objid::bigint) = $2) AS held`,
      [pid, key],
    );
    return rows[0]?.held === true;
  }

  /** One row per evaluation and replica; rows older than `keepFrom` are dropped on the way. */
  async logEvaluation(tx: Tx, instanceId: string, at: Date, keepFrom: Date): Promise<void> {
    await execute(tx, `INSERT INTO slo_evaluations (instance_id, evaluated_at) VALUES ($1, $2)`, [instanceId, at.toISOString()]);
    await execute(tx, `DELETE FROM slo_evaluations WHERE evaluated_at < $1`, [keepFrom.toISOString()]);
  }

  async selfAlerts(tx: Tx): Promise<PostedSelfAlert[]> {
    const rows = await sql<{ key: string; labels: Record<string, string>; firing: boolean; starts_at: Date; posted_at: Date }>(
      tx,
      `SELECT key, labels, firing, starts_at, posted_at FROM slo_self_alerts`,
    );
    return rows.map((r) => ({ key: r.key, labels: r.labels, firing: r.firing, startsAt: new Date(r.starts_at), postedAt: new Date(r.posted_at) }));
  }

  async saveSelfAlert(tx: Tx, alert: PostedSelfAlert): Promise<void> {
    await execute(
      tx,
      `INSERT INTO slo_self_alerts (key, labels, firing, starts_at, posted_at) VALUES ($1, $2::jsonb, $3, $4, $5)
       ON CONFLICT (key) DO UPDATE SET labels = EXCLUDED.labels, firing = EXCLUDED.firing, starts_at = EXCLUDED.starts_at, posted_at = EXCLUDED.posted_at`,
      [alert.key, JSON.stringify(alert.labels), alert.firing, alert.startsAt.toISOString(), alert.postedAt.toISOString()],
    );
  }
}

/** A self-alert delivery that must also go to the fallback receiver. */
export interface FallbackCandidate {
  id: string;
  groupKey: string;
  payload: NotificationData;
  fingerprints: string[];
}

/** Self-alert deliveries and their copies to `slo.fallback_receiver` (`slo_fallbacks`). */
@Injectable()
export class SloFallbackRepository {
  /**
   * Deliveries of Tocsin's own alerts (labels `service="tocsin"` and a self-alert name) to a
   * receiver other than the fallback, created since `from`, not copied yet, that either had a
   * failed attempt, or belong to a group an earlier delivery of which was copied (so the
   * fallback also hears the later notifications of that group, such as its resolve).
   */
  async candidates(tx: Tx, fallbackReceiver: string, alertnames: readonly string[], from: Date, limit = 100): Promise<FallbackCandidate[]> {
    const rows = await sql<{ id: string; group_key: string; payload: NotificationData; fingerprints: string[] }>(
      tx,
      `SELECT d.id::text, d.group_key, d.payload, d.fingerprints
         FROM alert_deliveries d
        WHERE d.receiver <> $1 AND d.created_at > $3
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(d.payload->'alerts') a
                       WHERE a->'labels'->>'service' = 'tocsin' AND a->'labels'->>'alertname' = ANY($2::text[]))
          AND NOT EXISTS (SELECT 1 FROM slo_fallbacks f WHERE f.delivery_id = d.id)
          AND (((d.retry_count > 0 OR d.status = 'poison')
                 AND EXISTS (SELECT 1 FROM delivery_attempts x WHERE x.delivery_id = d.id AND x.outcome IN ('retry', 'poison')))
               OR EXISTS (SELECT 1 FROM slo_fallbacks g WHERE g.group_key = d.group_key AND g.delivery_id < d.id))
        ORDER BY d.id
        LIMIT $4`,
      [fallbackReceiver, alertnames, from.toISOString(), limit],
    );
    return rows.map((r) => ({ id: r.id, groupKey: r.group_key, payload: r.payload, fingerprints: r.fingerprints }));
  }

  /** Claims the copy of one delivery; false when it was copied already. */
  async claim(tx: Tx, deliveryId: string, groupKey: string, fallbackReceiver: string, now: Date): Promise<boolean> {
    const rows = await sql<{ delivery_id: string }>(
      tx,
      `INSERT INTO slo_fallbacks (delivery_id, group_key, fallback_receiver, fallback_ids, created_at) VALUES ($1, $2, $3, '{}', $4)
       ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id::text`,
      [deliveryId, groupKey, fallbackReceiver, now.toISOString()],
    );
    return rows.length === 1;
  }

  async recordCopies(tx: Tx, deliveryId: string, ids: readonly string[]): Promise<void> {
    await execute(tx, `UPDATE slo_fallbacks SET fallback_ids = $2::bigint[] WHERE delivery_id = $1`, [deliveryId, ids]);
  }
}
