import { Injectable } from '@nestjs/common';
import { execute, sql, type Tx } from '../../db/tx.js';
import type { BucketSpec } from './rate-limiter.js';

/**
 * `rate_limit_buckets`: one row per bucket, refilled and debited in a single statement. The
 * conditional ON CONFLICT update only happens when the refilled level holds a whole token, so
 * concurrent takers serialise on the row lock and re-check the newest level (READ COMMITTED).
 */
@Injectable()
export class RateLimitRepository {
  /** Takes a token; returns null when granted, else the bucket's current level (before refill is applied to storage). */
  async take(tx: Tx, b: BucketSpec): Promise<{ granted: boolean; waitMs: number }> {
    const rows = await sql<{ granted: boolean; wait_ms: number | null }>(
      tx,
      `WITH taken AS (
         INSERT INTO rate_limit_buckets AS b (bucket, tokens, updated_at)
         VALUES ($1, $3::float8 - 1, clock_timestamp())
         ON CONFLICT (bucket) DO UPDATE
            SET tokens = LEAST($3::float8, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM (clock_timestamp() - b.updated_at)) * 1000) * $2::float8) - 1,
                updated_at = clock_timestamp()
          WHERE LEAST($3::float8, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM (clock_timestamp() - b.updated_at)) * 1000) * $2::float8) >= 1
         RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM taken) AS granted,
              (SELECT (1 - LEAST($3::float8, tokens + GREATEST(0, EXTRACT(EPOCH FROM (clock_timestamp() - updated_at)) * 1000) * $2::float8)) / $2::float8
                 FROM rate_limit_buckets WHERE bucket = $1) AS wait_ms`,
      [b.key, b.ratePerMs, b.burst],
    );
    const row = rows[0];
    if (row?.granted) return { granted: true, waitMs: 0 };
    return { granted: false, waitMs: Math.max(1, Math.ceil(row?.wait_ms ?? 1)) };
  }

  /** Gives a token back (another bucket of the same delivery said no). */
  async refund(tx: Tx, b: BucketSpec): Promise<void> {
    await execute(tx, `UPDATE rate_limit_buckets SET tokens = LEAST($2::float8, tokens + 1) WHERE bucket = $1`, [b.key, b.burst]);
  }
}
