import type { Database } from '../../db/database.service.js';
import type { RateLimitRepository } from './rate-limit.repository.js';
import type { BucketSpec, RateLimiter, TakeResult } from './rate-limiter.js';

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

  async close(): Promise<void> {}
}
