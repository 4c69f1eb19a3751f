/**
 * What to do after an attempt that did not deliver (pure: the random source is a parameter).
 * Exponential backoff with full jitter: the n-th failed attempt waits a uniformly random time in
 * [0, min(max_backoff, initial_backoff · 2^(n-1))); a provider's `Retry-After` is a floor (retry
 * no earlier); a poison result, or the `max_attempts`-th failure, sends the delivery to poison.
 */
import { SendOutcome } from '../channels/channel-adapter.js';

export interface RetrySettings {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** A number in [0, 1), like Math.random. */
export type RandomSource = () => number;

export enum RetryVerdict {
  Retry = 'retry',
  Poison = 'poison',
}

export type RetryDecision =
  | { verdict: RetryVerdict.Retry; retryCount: number; delayMs: number }
  | { verdict: RetryVerdict.Poison; retryCount: number; exhausted: boolean };

export interface FailedAttempt {
  outcome: SendOutcome.Retry | SendOutcome.Poison;
  /** Failed attempts before this one (the row's retry_count). */
  previousFailures: number;
  retryAfterMs?: number;
}

/** The ceiling of the jitter window for the n-th failure (n ≥ 1). */
export function backoffCeilingMs(failures: number, settings: RetrySettings): number {
  const exponent = Math.max(0, failures - 1);
  // 2^exponent overflows to Infinity long after it passed any sane max_backoff; min() keeps it finite.
  return Math.min(settings.maxBackoffMs, settings.initialBackoffMs * 2 ** Math.min(exponent, 1023));
}

export function decideRetry(attempt: FailedAttempt, settings: RetrySettings, random: RandomSource): RetryDecision {
  const retryCount = attempt.previousFailures + 1;
  if (attempt.outcome === SendOutcome.Poison) return { verdict: RetryVerdict.Poison, retryCount, exhausted: false };
  if (retryCount >= settings.maxAttempts) return { verdict: RetryVerdict.Poison, retryCount, exhausted: true };
  const jittered = Math.floor(random() * backoffCeilingMs(retryCount, settings));
  const delayMs = Math.max(jittered, attempt.retryAfterMs ?? 0);
  return { verdict: RetryVerdict.Retry, retryCount, delayMs };
}

/** A deterministic random source (mulberry32) for tests and benchmarks. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
