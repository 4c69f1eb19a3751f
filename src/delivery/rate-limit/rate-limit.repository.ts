import { Injectable } from '@nestjs/common';
import { execute, sql, type Tx, updateReturning } from '../../db/tx.js';
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

  /**
   * Takes up to `count` whole tokens in one statement: the row is locked (a concurrent taker
   * waits and then sees the newest level, READ COMMITTED), refilled from the database clock and
   * debited by what it holds. Returns how many were taken and the level left. A bucket seen for
   * the first time is created full, then taken from.
   */
  async takeUpTo(tx: Tx, b: BucketSpec, count: number): Promise<{ granted: number; tokensLeft: number }> {
    for (;;) {
      const rows = await updateReturning<{ granted: number; tokens: number }>(
        tx,
        `UPDATE rate_limit_buckets b SET tokens = x.level - x.granted, updated_at = x.at
           FROM (SELECT s.bucket, s.level, s.at, LEAST($4::int, floor(s.level))::int AS granted
                   FROM (SELECT bucket, clock_timestamp() AS at,
                                LEAST($3::float8, tokens + GREATEST(0, EXTRACT(EPOCH FROM (clock_timestamp() - updated_at)) * 1000) * $2::float8) AS level
                           FROM rate_limit_buckets WHERE bucket = $1 FOR UPDATE) s) x
          WHERE b.bucket = x.bucket
         RETURNING x.granted, b.tokens`,
        [b.key, b.ratePerMs, b.burst, count],
      );
      if (rows.length > 0) return { granted: rows[0].granted, tokensLeft: rows[0].tokens };
      await execute(tx, `INSERT INTO rate_limit_buckets (bucket, tokens, updated_at) VALUES ($1, $2, clock_timestamp()) ON CONFLICT (bucket) DO NOTHING`, [
        b.key,
        b.burst,
      ]);
    }
  }

  /** Gives tokens back (another bucket of the same delivery said no). */
  async refund(tx: Tx, b: BucketSpec, count = 1): Promise<void> {
    await execute(tx, `UPDATE rate_limit_buckets SET tokens = LEAST($2::float8, tokens + $3::float8) WHERE bucket = $1`, [b.key, b.burst, count]);
  }
}
