import { Injectable } from '@nestjs/common';
import { execute, sql, type Tx } from '../db/tx.js';
import type { HeartbeatRecord } from './slo.types.js';

interface HeartbeatRow {
  name: string;
  registered_at: Date;
  watch_started_at: Date;
  last_beat_at: Date | null;
  last_state: string | null;
  last_source: string | null;
  ok_since: Date | null;
}

function toRecord(r: HeartbeatRow): HeartbeatRecord {
  return {
    name: r.name,
    registeredAt: new Date(r.registered_at),
    watchStartedAt: new Date(r.watch_started_at),
    lastBeatAt: r.last_beat_at ? new Date(r.last_beat_at) : null,
    lastState: r.last_state,
    lastSource: r.last_source,
    okSince: r.ok_since ? new Date(r.ok_since) : null,
  };
}

const COLUMNS = 'name, registered_at, watch_started_at, last_beat_at, last_state, last_source, ok_since';

/** The `heartbeats` table: one row per configured heartbeat, holding its last beat. */
@Injectable()
export class HeartbeatRepository {
  /**
   * Makes sure each named heartbeat has a row. `restartWatch`: a heartbeat that never beat
   * starts its `no_data` grace again at `now` (a service start).
   */
  async ensure(tx: Tx, names: readonly string[], now: Date, restartWatch: boolean): Promise<void> {
    if (names.length === 0) return;
    await execute(
      tx,
      `INSERT INTO heartbeats (name, registered_at, watch_started_at, updated_at)
       SELECT n, $2, $2, $2 FROM unnest($1::text[]) AS n
       ON CONFLICT (name) DO UPDATE
         SET watch_started_at = CASE WHEN $3 AND heartbeats.last_beat_at IS NULL THEN EXCLUDED.watch_started_at ELSE heartbeats.watch_started_at END`,
      [names, now.toISOString(), restartWatch],
    );
  }

  async list(tx: Tx, names: readonly string[]): Promise<HeartbeatRecord[]> {
    if (names.length === 0) return [];
    const rows = await sql<HeartbeatRow>(tx, `SELECT ${COLUMNS} FROM heartbeats WHERE name = ANY($1::text[])`, [names]);
    return rows.map(toRecord);
  }

  /** The row locked for an update (the caller made sure it exists). */
  async lock(tx: Tx, name: string): Promise<HeartbeatRecord | null> {
    const rows = await sql<HeartbeatRow>(tx, `SELECT ${COLUMNS} FROM heartbeats WHERE name = $1 FOR UPDATE`, [name]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async saveBeat(
    tx: Tx,
    name: string,
    beat: { lastBeatAt: Date; lastState: string | null; okSince: Date; source: string },
    now: Date,
  ): Promise<HeartbeatRecord> {
    await execute(
      tx,
      `UPDATE heartbeats SET last_beat_at = $2, last_state = $3, ok_since = $4, last_source = $5, updated_at = $6 WHERE name = $1`,
      [name, beat.lastBeatAt.toISOString(), beat.lastState, beat.okSince.toISOString(), beat.source, now.toISOString()],
    );
    const rows = await sql<HeartbeatRow>(tx, `SELECT ${COLUMNS} FROM heartbeats WHERE name = $1`, [name]);
    return toRecord(rows[0]);
  }
}
