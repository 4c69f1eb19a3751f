import { Injectable } from '@nestjs/common';
import { execute, sql, type Tx } from '../db/tx.js';
import type { SilenceMatcher, SilenceRecord } from './silence.types.js';

interface SilenceRow {
  id: string;
  matchers: SilenceMatcher[];
  starts_at: Date;
  ends_at: Date;
  created_by: string;
  comment: string;
  updated_at: Date;
}

const COLUMNS = 'id, matchers, starts_at, ends_at, created_by, comment, updated_at';

const toRecord = (r: SilenceRow): SilenceRecord => ({
  id: r.id,
  matchers: r.matchers,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  createdBy: r.created_by,
  comment: r.comment,
  updatedAt: r.updated_at,
});

@Injectable()
export class SilencesRepository {
  async insert(tx: Tx, s: SilenceRecord): Promise<void> {
    await execute(tx, `INSERT INTO silences (${COLUMNS}) VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7)`, [
      s.id,
      JSON.stringify(s.matchers),
      s.startsAt,
      s.endsAt,
      s.createdBy,
      s.comment,
      s.updatedAt,
    ]);
  }

  async update(tx: Tx, s: SilenceRecord): Promise<void> {
    await execute(tx, `UPDATE silences SET matchers = $2::jsonb, starts_at = $3, ends_at = $4, created_by = $5, comment = $6, updated_at = $7 WHERE id = $1`, [
      s.id,
      JSON.stringify(s.matchers),
      s.startsAt,
      s.endsAt,
      s.createdBy,
      s.comment,
      s.updatedAt,
    ]);
  }

  async findForUpdate(tx: Tx, id: string): Promise<SilenceRecord | null> {
    const rows = await sql<SilenceRow>(tx, `SELECT ${COLUMNS} FROM silences WHERE id = $1 FOR UPDATE`, [id]);
    return rows.length ? toRecord(rows[0]) : null;
  }

  async find(tx: Tx, id: string): Promise<SilenceRecord | null> {
    const rows = await sql<SilenceRow>(tx, `SELECT ${COLUMNS} FROM silences WHERE id = $1`, [id]);
    return rows.length ? toRecord(rows[0]) : null;
  }

  /** All silences, most recently updated first. */
  async listAll(tx: Tx): Promise<SilenceRecord[]> {
    const rows = await sql<SilenceRow>(tx, `SELECT ${COLUMNS} FROM silences ORDER BY updated_at DESC, id DESC`);
    return rows.map(toRecord);
  }

  /** Silences not yet expired at `now` (active or pending). */
  async listUnexpired(tx: Tx, now: Date): Promise<SilenceRecord[]> {
    const rows = await sql<SilenceRow>(tx, `SELECT ${COLUMNS} FROM silences WHERE ends_at > $1 ORDER BY starts_at, id`, [now]);
    return rows.map(toRecord);
  }

  async expire(tx: Tx, id: string, now: Date): Promise<void> {
    await execute(tx, `UPDATE silences SET starts_at = LEAST(starts_at, $2), ends_at = $2, updated_at = $2 WHERE id = $1`, [id, now]);
  }
}
