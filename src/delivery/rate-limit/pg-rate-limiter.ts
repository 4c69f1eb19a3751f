import type { Database } from '../../db/database.service.js';
import type { RateLimitRepository } from './rate-limit.repository.js';
import { type BucketSpec, msUntilToken, type RateLimiter, type TakeManyResult, type TakeResult } from './rate-limiter.js';

/** Buckets in PostgreSQL (no REDIS_URL): each take is one autocommitted statement per bucket. */
export class PgRateLimiter implements RateLimiter {
  constructor(
    private readonly db: Database,
    private readonly repo: RateLimitRepository,
  ) {}

  async take(buckets: readonly BucketSpec[]): Promise<TakeResult> {
    const taken: BucketSpec[] = [];
    for (const bucket of buckets) {
      const result = await this.repo.take(this.db.reader, bucket);
      if (!result.granted) {
        for (const t of taken) await this.repo.refund(this.db.reader, t);
        return result;
      }
      taken.push(bucket);
    }
    return { granted: true, waitMs: 0 };
  }

  /**
   * One statement per bucket for a whole batch: the first bucket grants what it holds, each
   * next bucket is asked for no more than the previous granted, and the surplus is refunded.
   */
  async takeUpTo(buckets: readonly BucketSpec[], count: number): Promise<TakeManyResult> {
    if (buckets.length === 0 || count <= 0) return { granted: Math.max(0, count), waitMs: 0 };
    const taken: { bucket: BucketSpec; granted: number }[] = [];
    let granted = count;
    let waitMs = 0;
    for (const bucket of buckets) {
      const r = await this.repo.takeUpTo(this.db.reader, bucket, granted);
      if (r.granted < granted) waitMs = Math.max(waitMs, msUntilToken(r.tokensLeft, bucket.ratePerMs));
      granted = r.granted;
      taken.push({ bucket, granted });
      if (granted === 0) break;
    }
    for (const t of taken) if (t.granted > granted) await this.repo.refund(this.db.reader, t.bucket, t.granted - granted);
    return { granted, waitMs: granted < count ? Math.max(1, waitMs) : 0 };
  }

  async close(): Promise<void> {}
}
