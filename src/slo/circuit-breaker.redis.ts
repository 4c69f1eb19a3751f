import { Redis } from 'ioredis';
import type { HeartbeatChange } from './slo.types.js';

/** The runbook's keys: the breaker's current state and its history of changes. */
export const CB_STATE_KEY = 'circuit_breaker:state';
export const CB_HISTORY_KEY = 'circuit_breaker:history';

export interface CircuitBreakerReading {
  state: string | null;
  /** null when the key is missing or its `updated_at` is unreadable. */
  updatedAt: Date | null;
}

/** `updated_at` as RFC 3339 or epoch seconds (integer or fractional, number or string). */
export function parseUpdatedAt(value: unknown): Date | null {
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value * 1000) : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return new Date(Number(text) * 1000);
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** A history member: JSON with a `state` field, or the state itself as plain text. */
function changeState(member: string): string | null {
  try {
    const parsed: unknown = JSON.parse(member);
    if (parsed && typeof parsed === 'object' && 'state' in parsed) {
      const s = (parsed as { state: unknown }).state;
      return s === null || s === undefined ? null : String(s);
    }
    return typeof parsed === 'string' ? parsed : member;
  } catch {
    return member;
  }
}

/**
 * Reads the circuit breaker's Redis keys (REDIS_URL): `circuit_breaker:state` as a string
 * holding JSON `{ state, updated_at }` or as a hash with those fields, and recent changes from
 * the sorted set `circuit_breaker:history` (score = epoch seconds).
 */
export class CircuitBreakerRedisReader {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: true });
    // Connection errors surface on the commands; without a listener ioredis would log them.
    this.redis.on('error', () => undefined);
  }

  async read(): Promise<CircuitBreakerReading> {
    const type = await this.redis.type(CB_STATE_KEY);
    if (type === 'hash') {
      const h = await this.redis.hgetall(CB_STATE_KEY);
      return { state: h.state ?? null, updatedAt: parseUpdatedAt(h.updated_at) };
    }
    if (type !== 'string') return { state: null, updatedAt: null };
    const raw = await this.redis.get(CB_STATE_KEY);
    if (raw === null) return { state: null, updatedAt: null };
    try {
      const parsed = JSON.parse(raw) as { state?: unknown; updated_at?: unknown };
      return {
        state: parsed.state === undefined || parsed.state === null ? null : String(parsed.state),
        updatedAt: parseUpdatedAt(parsed.updated_at),
      };
    } catch {
      return { state: raw, updatedAt: null };
    }
  }

  /** The newest `limit` changes, newest first. */
  async history(limit = 20): Promise<HeartbeatChange[]> {
    const flat = await this.redis.zrevrange(CB_HISTORY_KEY, 0, limit - 1, 'WITHSCORES');
    const out: HeartbeatChange[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const at = parseUpdatedAt(flat[i + 1]);
      if (at) out.push({ at: at.toISOString(), state: changeState(flat[i]) });
    }
    return out;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
