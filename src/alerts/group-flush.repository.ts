import { Injectable } from '@nestjs/common';
import { execute, sql, type Tx } from '../db/tx.js';
import type { TargetLogEntry } from './alert-groups.repository.js';
import type { AlertRecord } from './alert.types.js';
import { toAlertRecord } from './alerts.repository.js';

/** One group's state after a flush (see `AlertGroupsRepository.recordFlush`). */
export interface FlushRecord {
  groupId: string;
  at: Date;
  nextFlushAt: Date | null;
  targetLog: Record<string, TargetLogEntry>;
}

/** The set-at-a-time reads and writes of flushing many notification groups in one transaction. */
@Injectable()
export class GroupFlushRepository {
  /** The alerts of each group, oldest first (one query for all groups). */
  async membersOfMany(tx: Tx, groupIds: readonly string[]): Promise<Map<string, AlertRecord[]>> {
    const out = new Map<string, AlertRecord[]>(groupIds.map((id) => [id, []]));
    if (groupIds.length === 0) return out;
    const rows = await sql<Parameters<typeof toAlertRecord>[0] & { group_id: string }>(
      tx,
      `SELECT ga.group_id::text AS group_id, a.fingerprint, a.labels, a.annotations, a.starts_at, a.ends_at, a.ends_at_given,
              a.updated_at, a.generator_url, a.source
         FROM group_alerts ga JOIN alerts a ON a.fingerprint = ga.fingerprint
        WHERE ga.group_id = ANY($1::bigint[])
        ORDER BY ga.group_id, a.starts_at, a.fingerprint`,
      [[...groupIds]],
    );
    for (const r of rows) out.get(r.group_id)?.push(toAlertRecord(r));
    return out;
  }

  /** `recordFlush` for many groups in one UPDATE. */
  async recordFlushes(tx: Tx, records: readonly FlushRecord[]): Promise<void> {
    if (records.length === 0) return;
    await execute(
      tx,
      `UPDATE notification_groups g
          SET last_flush_at = r.at, next_flush_at = r.next_flush_at, target_log = r.target_log,
              notified_firing = ARRAY(SELECT DISTINCT jsonb_array_elements_text(v->'firing') FROM jsonb_each(r.target_log) AS e(k, v)),
              notified_resolved = ARRAY(SELECT DISTINCT jsonb_array_elements_text(v->'resolved') FROM jsonb_each(r.target_log) AS e(k, v))
         FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, at timestamptz, next_flush_at timestamptz, target_log jsonb)
        WHERE g.id = r.id`,
      [
        JSON.stringify(
          records.map((r) => ({ id: r.groupId, at: r.at.toISOString(), next_flush_at: r.nextFlushAt?.toISOString() ?? null, target_log: r.targetLog })),
        ),
      ],
    );
  }
}
