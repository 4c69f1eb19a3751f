/** Process-level knobs of the delivery engine (environment, not the config file). */
export interface DeliveryOptions {
  /** TOCSIN_WORKERS=0 turns the claim loop off in this process (ingest still works). */
  enabled: boolean;
  /** TOCSIN_DELIVERY_CONCURRENCY: sends in flight at once per process (default 32). */
  concurrency: number;
  /** TOCSIN_DELIVERY_POLL_MS: the safety-net poll (default 1000). */
  pollMs: number;
  /** How often a process looks for crowded targets to coalesce (default 500 ms). */
  coalesceEveryMs: number;
  /** REDIS_URL: rate-limit buckets in Redis instead of PostgreSQL. */
  redisUrl: string | null;
}

export const DELIVERY_OPTIONS = Symbol('DeliveryOptions');

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function deliveryOptionsFrom(env: NodeJS.ProcessEnv): DeliveryOptions {
  return {
    enabled: env.TOCSIN_WORKERS !== '0',
    concurrency: positiveInt(env.TOCSIN_DELIVERY_CONCURRENCY, 32),
    pollMs: positiveInt(env.TOCSIN_DELIVERY_POLL_MS, 1000),
    coalesceEveryMs: positiveInt(env.TOCSIN_COALESCE_EVERY_MS, 500),
    redisUrl: env.REDIS_URL ? env.REDIS_URL : null,
  };
}
