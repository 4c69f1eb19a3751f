/** Process-level knobs of the delivery engine (environment, not the config file). */
export interface DeliveryOptions {
  /** TOCSIN_WORKERS=0 turns the claim loop off in this process (ingest still works). */
  enabled: boolean;
  /** TOCSIN_DELIVERY_CONCURRENCY: sends in flight at once per process (default 32; 128 lets a batch of granted sends reach the provider late enough to break a per-second limit as the provider counts it). */
  concurrency: number;
  /**
   * TOCSIN_DELIVERY_PREFETCH: claimed deliveries a process keeps waiting for a free slot, so a
   * slot that frees starts its next send without a claim round trip (default concurrency / 4;
   * 0 turns claiming ahead off). They wait at most half the lease's margin, then are released.
   */
  prefetch: number;
  /** TOCSIN_DELIVERY_POLL_MS: the safety-net poll (default 1000). */
  pollMs: number;
  /** How often a process looks for crowded targets to coalesce (default 500 ms). */
  coalesceEveryMs: number;
  /**
   * TOCSIN_RATE_LIMIT_MARGIN_MS: each rate-limit bucket is held this much refill below its
   * configured burst (never below one token), so sends that reach the provider up to this much
   * later than others taken after them still arrive within the configured bucket (default 150;
   * 0 uses the full burst).
   */
  rateLimitMarginMs: number;
  /** REDIS_URL: rate-limit buckets in Redis instead of PostgreSQL. */
  redisUrl: string | null;
}

export const DELIVERY_OPTIONS = Symbol('DeliveryOptions');

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function nonNegativeInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function deliveryOptionsFrom(env: NodeJS.ProcessEnv): DeliveryOptions {
  const concurrency = positiveInt(env.TOCSIN_DELIVERY_CONCURRENCY, 32);
  return {
    enabled: env.TOCSIN_WORKERS !== '0',
    concurrency,
    prefetch: nonNegativeInt(env.TOCSIN_DELIVERY_PREFETCH, Math.ceil(concurrency / 4)),
    pollMs: positiveInt(env.TOCSIN_DELIVERY_POLL_MS, 1000),
    coalesceEveryMs: positiveInt(env.TOCSIN_COALESCE_EVERY_MS, 500),
    rateLimitMarginMs: nonNegativeInt(env.TOCSIN_RATE_LIMIT_MARGIN_MS, 150),
    redisUrl: env.REDIS_URL ? env.REDIS_URL : null,
  };
}
