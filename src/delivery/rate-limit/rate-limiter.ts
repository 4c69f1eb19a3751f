/**
 * Token buckets shared by every replica: one bucket per target (channel + recipient) and, when
 * the config sets `global_rate_limit`, one per channel. A delivery may go only when every bucket
 * it touches has a token; otherwise it waits `waitMs` (rescheduled, never dropped).
 */
import type { Channel } from '../../channels/channel-adapter.js';
import type { GlobalRateLimitConfig, RateLimitConfig } from '../../config/config.types.js';

export interface BucketSpec {
  /** Storage key, e.g. `target:slack:#alerts-ops` or `global:sms`. */
  key: string;
  /** Tokens added per millisecond. */
  ratePerMs: number;
  /** Capacity of the bucket. */
  burst: number;
}

export interface TakeResult {
  granted: boolean;
  /** When not granted: how long until a token can be there (≥ 1 ms). */
  waitMs: number;
}

export interface TakeManyResult {
  /** Tokens taken from every bucket (0 … count): that many deliveries may go now. */
  granted: number;
  /** When fewer than asked were granted: how long until the next token (≥ 1 ms); else 0. */
  waitMs: number;
}

export interface RateLimiter {
  /** Takes one token from every bucket, or none of them. */
  take(buckets: readonly BucketSpec[]): Promise<TakeResult>;
  /**
   * Takes up to `count` tokens from every bucket at once (the same number from each), as many
   * as the emptiest bucket holds: a batch of deliveries to one target asks once.
   */
  takeUpTo(buckets: readonly BucketSpec[], count: number): Promise<TakeManyResult>;
  close(): Promise<void>;
}

export const RATE_LIMITER = Symbol('RateLimiter');

/**
 * The buckets one delivery to `recipient` over `channel` needs. `arrivalMarginMs` holds each
 * bucket that much refill below its configured capacity (never below one token): a send reaches
 * the provider some time after its token was taken, and that delay varies (a cold process, a
 * busy event loop, the provider's own), so sends whose tokens were taken over a span can arrive
 * within a span up to the variation shorter. With the margin at least that variation, arrivals
 * at the provider stay within the configured bucket (burst + rate × window); the long-run rate is
 * unchanged, only the burst a full bucket allows shrinks, by rate × margin tokens.
 */
export function bucketsFor(
  channel: Channel,
  recipient: string,
  limit: RateLimitConfig,
  global: GlobalRateLimitConfig | null,
  arrivalMarginMs = 0,
): BucketSpec[] {
  const buckets: BucketSpec[] = [];
  if (limit.rate > 0 && limit.per_ms > 0) {
    const ratePerMs = limit.rate / limit.per_ms;
    buckets.push({ key: `target:${channel}:${recipient}`, ratePerMs, burst: withMargin(Math.max(1, limit.burst), ratePerMs, arrivalMarginMs) });
  }
  if (global && global.rate > 0 && global.per_ms > 0) {
    const ratePerMs = global.rate / global.per_ms;
    buckets.push({ key: `global:${channel}`, ratePerMs, burst: withMargin(Math.max(1, Math.ceil(global.rate)), ratePerMs, arrivalMarginMs) });
  }
  return buckets;
}

/** A capacity lowered by `marginMs` of refill, never below one token. */
export function withMargin(burst: number, ratePerMs: number, marginMs: number): number {
  return Math.max(1, burst - ratePerMs * Math.max(0, marginMs));
}

/** Milliseconds until a bucket holding `tokens` has one whole token. */
export function msUntilToken(tokens: number, ratePerMs: number): number {
  if (tokens >= 1) return 0;
  return Math.max(1, Math.ceil((1 - tokens) / ratePerMs));
}
