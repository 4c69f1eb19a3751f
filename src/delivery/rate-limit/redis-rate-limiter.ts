import { Redis } from 'ioredis';
import type { BucketSpec, RateLimiter, TakeResult } from './rate-limiter.js';

/**
 * Buckets in Redis (REDIS_URL set): one Lua script refills every bucket a delivery touches from
 * the server's clock and debits all of them, or none when one lacks a token (then it answers the
 * longest wait). Scripts run atomically, so replicas never race.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local levels = {}
local wait = 0
for i = 1, #KEYS do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local v = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
  local tokens = tonumber(v[1])
  local ts = tonumber(v[2])
  if tokens == nil or ts == nil then tokens = burst; ts = now end
  tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
  levels[i] = tokens
  if tokens < 1 then
    local w = math.ceil((1 - tokens) / rate)
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, wait} end
for i = 1, #KEYS do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  redis.call('HSET', KEYS[i], 'tokens', tostring(levels[i] - 1), 'ts', tostring(now))
  redis.call('PEXPIRE', KEYS[i], math.ceil(burst / rate) + 60000)
end
return {1, 0}
`;

export const REDIS_BUCKET_PREFIX = 'tocsin:ratelimit:';

interface TakeCommand {
  tocsinTake(numKeys: number, ...args: (string | number)[]): Promise<[number, number]>;
}

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis & TakeCommand;

  constructor(url: string) {
    const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    redis.defineCommand('tocsinTake', { lua: TAKE_SCRIPT });
    this.redis = redis as Redis & TakeCommand;
  }

  async take(buckets: readonly BucketSpec[]): Promise<TakeResult> {
    if (buckets.length === 0) return { granted: true, waitMs: 0 };
    const keys = buckets.map((b) => REDIS_BUCKET_PREFIX + b.key);
    const args = buckets.flatMap((b) => [String(b.ratePerMs), String(b.burst)]);
    const [granted, wait] = await this.redis.tocsinTake(keys.length, ...keys, ...args);
    return granted === 1 ? { granted: true, waitMs: 0 } : { granted: false, waitMs: Math.max(1, Number(wait)) };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
