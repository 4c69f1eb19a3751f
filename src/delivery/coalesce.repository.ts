import { Injectable } from '@nestjs/common';
import type { Channel, NotificationData } from '../channels/channel-adapter.js';
import { execute, sql, type Tx } from '../db/tx.js';

export interface CrowdedTarget {
  channel: Channel;
  receiver: string;
  targetKey: string;
  recipient: string;
  waiting: number;
}

export interface WaitingDelivery {
  id: string;
  groupKey: string;
  fingerprints: string[];
  payload: NotificationData;
  dueAt: Date;
}

export interface NewSummary {
  target: CrowdedTarget;
  groupKey: string;
  fingerprints: string[];
  payload: NotificationData;
  dueAt: Date;
}

@Injectable()
export class CoalesceRepository {
  /** Targets of the given channels with more than `threshold` pending deliveries. */
  async crowdedTargets(tx: Tx, channels: readonly Channel[], threshold: number, limit = 20): Promise<CrowdedTarget[]> {
    const rows = await sql<{ channel: Channel; receiver: string; target_key: string; recipient: string; waiting: number }>(
      tx,
      `SELECT channel, receiver, target_key, recipient, count(*)::int AS waiting
         FROM alert_deliveries
        WHERE status = 'pending' AND channel = ANY($1::text[])
        GROUP BY channel, receiver, target_key, recipient
       HAVING count(*) > $2
        LIMIT $3`,
      [channels, threshold, limit],
    );
    return rows.map((r) => ({ channel: r.channel, receiver: r.receiver, targetKey: r.target_key, recipient: r.recipient, waiting: r.waiting }));
  }

  /** Locks the target's pending rows (skipping rows another transaction holds), oldest first. */
  async lockWaiting(tx: Tx, t: CrowdedTarget): Promise<WaitingDelivery[]> {
    const rows = await sql<{ id: string; group_key: string; fingerprints: string[]; payload: NotificationData; due_at: Date }>(
      tx,
      `SELECT d.id::text, group_key, fingerprints, payload, due_at FROM alert_deliveries d
        WHERE status = 'pending' AND channel = $1 AND receiver = $2 AND target_key = $3 AND recipient = $4
        ORDER BY d.id
        FOR UPDATE SKIP LOCKED`,
      [t.channel, t.receiver, t.targetKey, t.recipient],
    );
    return rows.map((r) => ({ id: r.id, groupKey: r.group_key, fingerprints: r.fingerprints, payload: r.payload, dueAt: new Date(r.due_at) }));
  }

  async insertSummary(tx: Tx, s: NewSummary): Promise<string> {
    const rows = await sql<{ id: string }>(
      tx,
      `INSERT INTO alert_deliveries
         (channel, recipient, receiver, target_key, group_key, fingerprints, payload, due_at, next_attempt_at, status, is_summary)
       VALUES ($1, $2, $3, $4, $5, $6::text[], $7::jsonb, $8, now(), 'pending', true)
       RETURNING id::text`,
      [s.target.channel, s.target.recipient, s.target.receiver, s.target.targetKey, s.groupKey, s.fingerprints, JSON.stringify(s.payload), s.dueAt],
    );
    return rows[0].id;
  }

  async markCoalesced(tx: Tx, ids: readonly string[], summaryId: string): Promise<number> {
    return execute(
      tx,
      `UPDATE alert_deliveries SET status = 'coalesced', coalesced_into = $2, claimed_by = NULL, lease_until = NULL
        WHERE id = ANY($1::bigint[]) AND status = 'pending'`,
      [ids, summaryId],
    );
  }
}
