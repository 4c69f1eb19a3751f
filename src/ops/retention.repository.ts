import { Injectable } from '@nestjs/common';
import { Database } from '../db/database.service.js';
import { sql, type Tx } from '../db/tx.js';

/** Session advisory lock: retention runs on one replica at a time (7_361_010 is the SLO leader lock). */
export const RETENTION_LOCK = 7_361_020;

/**
 * Deletes finished deliveries in bounded batches. Their attempts go with them (ON DELETE
 * CASCADE), and so do the `coalesced` rows folded into a pruned summary. Poison rows and the
 * audit log are never touched here.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly db: Database) {}

  /**
   * Runs `work` while holding the retention lock on a dedicated session; resolves to null at
   * once when another replica holds it.
   */
  async withRunLock<T>(work: () => Promise<T>): Promise<{ value: T } | null> {
    const runner = this.db.source.createQueryRunner();
    await runner.connect();
    try {
      const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [RETENTION_LOCK])) as Array<{ locked: boolean }>;
      if (!row.locked) return null;
      try {
        return { value: await work() };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  /** Deletes up to `limit` deliveries in `status` whose `timeColumn` is before `cutoff`; returns how many. */
  async pruneBatch(tx: Tx, status: 'delivered' | 'discarded', cutoff: Date, limit: number): Promise<number> {
    const timeColumn = status === 'delivered' ? 'd.delivered_at' : 'd.updated_at';
    const [row] = await sql<{ n: string }>(
      tx,
      `WITH batch AS (
         SELECT d.id FROM alert_deliveries d
          WHERE d.status = $1 AND ${timeColumn} < $2
            AND NOT EXISTS (SELECT 1 FROM alert_deliveries c WHERE c.coalesced_into = d.id AND c.status <> 'coalesced')
          ORDER BY d.id LIMIT $3
          FOR UPDATE SKIP LOCKED
       ),
       folded AS (
         DELETE FROM alert_deliveries c USING batch WHERE c.coalesced_into = batch.id AND c.status = 'coalesced' RETURNING c.id
       ),
       gone AS (
         DELETE FROM alert_deliveries d USING batch WHERE d.id = batch.id RETURNING d.id
       )
       SELECT ((SELECT count(*) FROM gone) + (SELECT count(*) FROM folded))::text AS n`,
      [status, cutoff, limit],
    );
    return Number(row.n);
  }
}
