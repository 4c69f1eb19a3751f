import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Database } from '../../db/database.service.js';
import { DELIVERY_OPTIONS, type DeliveryOptions } from '../delivery.options.js';
import { PgRateLimiter } from './pg-rate-limiter.js';
import { RateLimitRepository } from './rate-limit.repository.js';
import type { BucketSpec, RateLimiter, TakeManyResult, TakeResult } from './rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

/** The process's limiter: Redis when REDIS_URL is set, else PostgreSQL; closed at shutdown. */
@Injectable()
export class SharedRateLimiter implements RateLimiter, OnApplicationShutdown {
  private readonly impl: RateLimiter;

  constructor(@Inject(DELIVERY_OPTIONS) options: DeliveryOptions, db: Database, repo: RateLimitRepository) {
    this.impl = options.redisUrl ? new RedisRateLimiter(options.redisUrl) : new PgRateLimiter(db, repo);
  }

  take(buckets: readonly BucketSpec[]): Promise<TakeResult> {
    return this.impl.take(buckets);
  }

  takeUpTo(buckets: readonly BucketSpec[], count: number): Promise<TakeManyResult> {
    return this.impl.takeUpTo(buckets, count);
  }

  close(): Promise<void> {
    return this.impl.close();
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
