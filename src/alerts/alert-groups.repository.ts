import { Injectable } from '@nestjs/common';
import { execute, sql, type Tx } from '../db/tx.js';
import type { AlertRecord } from './alert.types.js';
import { toAlertRecord } from './alerts.repository.js';

/** What one target was last told about a group (Alertmanager's notification log entry). */
export interface TargetLogEntry {
  firing: string[];
  resolved: string[];
  /** ISO time of the notification. */
  at: string;
}

export interface NotificationGroup {
  id: string;
  groupKey: string;
  receiver: string;
  routeId: string;
  groupLabels: Record<string, string>;
  createdAt: Date;
  nextFlushAt: Date | null;
  lastFlushAt: Date | null;
  targetLog: Record<string, TargetLogEntry>;
}

export interface GroupUpsert {
  groupKey: string;
  receiver: string;
  routeId: string;
  groupLabels: Record<string, string>;
  createdAt: Date;
  /** First-flush time this batch asks for; an unflushed group keeps the earlier of its own and this. */
  nextFlushAt: Date;
}

interface GroupRow {
  id: string;
  group_key: string;
  receiver: string;
  route_id: string;
  group_labels: Record<string, string>;
  created_at: Date;
  next_flush_at: Date | null;
  last_flush_at: Date | null;
  target_log: Record<string, TargetLogEntry>;
}

const GROUP_COLUMNS = 'id::text AS id, group_key, receiver, route_id, group_labels, created_at, next_flush_at, last_flush_at, target_log';

const toGroup = (r: GroupRow): NotificationGroup => ({
  id: r.id,
  groupKey: r.group_key,
  receiver: r.receiver,
  routeId: r.route_id,
  groupLabels: r.group_labels,
  createdAt: r.created_at,
  nextFlushAt: r.next_flush_at,
  lastFlushAt: r.last_flush_at,
  targetLog: r.target_log,
});

/** `notification_groups` (one per group key and receiver) and their members in `group_alerts`. */
@Injectable()
export class AlertGroupsRepository {
  /**
   * Creates or touches the groups (one multi-row statement; rows must be distinct by key and
   * receiver, sorted so concurrent batches lock in the same order). Returns them, locked.
   */
  async upsertGroups(tx: Tx, groups: readonly GroupUpsert[]): Promise<NotificationGroup[]> {
    if (groups.length === 0) return [];
    const rows = await sql<GroupRow>(
      tx,
      `INSERT INTO notification_groups AS g (group_key, receiver, route_id, group_labels, created_at, next_flush_at)
       SELECT r.group_key, r.receiver, r.route_id, r.group_labels, r.created_at, r.next_flush_at
         FROM jsonb_to_recordset($1::jsonb) AS r(group_key text, receiver text, route_id text,
              group_labels jsonb, created_at timestamptz, next_flush_at timestamptz)
        ORDER BY r.group_key, r.receiver
       ON CONFLICT ((md5(group_key)), receiver) DO UPDATE SET
         route_id = EXCLUDED.route_id,
         next_flush_at = CASE
           WHEN g.next_flush_at IS NULL THEN EXCLUDED.next_flush_at
           WHEN g.last_flush_at IS NULL THEN LEAST(g.next_flush_at, GREATEST(EXCLUDED.next_flush_at, g.created_at))
           ELSE g.next_flush_at END
       RETURNING ${GROUP_COLUMNS}`,
      [
        JSON.stringify(
          groups.map((g) => ({
            group_key: g.groupKey,
            receiver: g.receiver,
            route_id: g.routeId,
            group_labels: g.groupLabels,
            created_at: g.createdAt.toISOString(),
            next_flush_at: g.nextFlushAt.toISOString(),
          })),
        ),
      ],
    );
    return rows.map(toGroup);
  }

  async addMembers(tx: Tx, members: readonly { groupId: string; fingerprint: string }[]): Promise<void> {
    if (members.length === 0) return;
    await execute(
      tx,
      `INSERT INTO group_alerts (group_id, fingerprint)
       SELECT r.group_id, r.fingerprint FROM jsonb_to_recordset($1::jsonb) AS r(group_id bigint, fingerprint text)
       ORDER BY r.group_id, r.fingerprint
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(members.map((m) => ({ group_id: m.groupId, fingerprint: m.fingerprint })))],
    );
  }

  /**
   * Claims one due group for this transaction; other replicas skip it while it is locked.
   * `skip`: groups whose flush failed earlier in this pass (so one failing group cannot hold
   * back the groups due after it).
   */
  async claimDue(tx: Tx, now: Date, skip: readonly string[] = []): Promise<NotificationGroup | null> {
    const rows = await sql<GroupRow>(
      tx,
      `SELECT ${GROUP_COLUMNS} FROM notification_groups
        WHERE next_flush_at <= $1 AND NOT (id = ANY($2::bigint[]))
        ORDER BY next_flush_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [now, [...skip]],
    );
    return rows.length ? toGroup(rows[0]) : null;
  }

  /** The alerts of a group, oldest first. */
  async membersOf(tx: Tx, groupId: string): Promise<AlertRecord[]> {
    const rows = await sql<Parameters<typeof toAlertRecord>[0]>(
      tx,
      `SELECT a.fingerprint, a.labels, a.annotations, a.starts_at, a.ends_at, a.ends_at_given, a.updated_at, a.generator_url, a.source
         FROM group_alerts ga JOIN alerts a ON a.fingerprint = ga.fingerprint
        WHERE ga.group_id = $1 ORDER BY a.starts_at, a.fingerprint`,
      [groupId],
    );
    return rows.map(toAlertRecord);
  }

  async recordFlush(tx: Tx, groupId: string, at: Date, nextFlushAt: Date | null, targetLog: Record<string, TargetLogEntry>): Promise<void> {
    await execute(
      tx,
      `UPDATE notification_groups SET last_flush_at = $2, next_flush_at = $3, target_log = $4::jsonb,
              notified_firing = ARRAY(SELECT DISTINCT jsonb_array_elements_text(v->'firing') FROM jsonb_each($4::jsonb) AS e(k, v)),
              notified_resolved = ARRAY(SELECT DISTINCT jsonb_array_elements_text(v->'resolved') FROM jsonb_each($4::jsonb) AS e(k, v))
        WHERE id = $1`,
      [groupId, at, nextFlushAt, JSON.stringify(targetLog)],
    );
  }

  async setNextFlush(tx: Tx, groupId: string, nextFlushAt: Date): Promise<void> {
    await execute(tx, `UPDATE notification_groups SET next_flush_at = $2 WHERE id = $1`, [groupId, nextFlushAt]);
  }

  async removeMembers(tx: Tx, groupId: string, fingerprints: readonly string[]): Promise<void> {
    if (fingerprints.length === 0) return;
    await execute(tx, `DELETE FROM group_alerts WHERE group_id = $1 AND fingerprint = ANY($2::text[])`, [groupId, [...fingerprints]]);
  }

  /** Deletes the group when no alert is left in it; true when deleted. */
  async deleteIfEmpty(tx: Tx, groupId: string): Promise<boolean> {
    const n = await execute(
      tx,
      `DELETE FROM notification_groups g WHERE g.id = $1 AND NOT EXISTS (SELECT 1 FROM group_alerts ga WHERE ga.group_id = g.id)`,
      [groupId],
    );
    return n > 0;
  }

  /** The earliest pending flush, for the flusher's wake-up. */
  async nextDue(tx: Tx): Promise<Date | null> {
    const [row] = await sql<{ at: Date | null }>(tx, `SELECT min(next_flush_at) AS at FROM notification_groups`);
    return row?.at ?? null;
  }

  /** Every group with its member fingerprints (Alertmanager's `/alerts/groups`). */
  async listWithMembers(tx: Tx): Promise<(NotificationGroup & { fingerprints: string[] })[]> {
    const rows = await sql<GroupRow & { fingerprints: string[] }>(
      tx,
      `SELECT ${GROUP_COLUMNS},
              ARRAY(SELECT ga.fingerprint FROM group_alerts ga WHERE ga.group_id = g.id ORDER BY ga.fingerprint) AS fingerprints
         FROM notification_groups g ORDER BY g.group_key, g.receiver`,
    );
    return rows.map((r) => ({ ...toGroup(r), fingerprints: r.fingerprints }));
  }
}
