import { Redis } from 'ioredis';
import type { BucketSpec, RateLimiter, TakeManyResult, TakeResult } from './rate-limiter.js';

/**
 * Buckets in Redis (REDIS_URL set): one Lua script refills every bucket a batch touches from
 * the server's clock and debits the same number of tokens (up to the count asked, as many as
 * the emptiest bucket holds) from all of them; when fewer than asked are granted it answers the
 * longest wait for the next token. Scripts run atomically, so replicas never race.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local count = tonumber(ARGV[2 * #KEYS + 1])
local levels = {}
local granted = count
for i = 1, #KEYS do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local v = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
  local tokens = tonumber(v[1])
  local ts = tonumber(v[2])
  if tokens == nil or ts == nil then tokens = burst; ts = now end
  tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
  levels[i] = tokens
  local whole = math.floor(tokens)
  if whole < granted then granted = whole end
end
if granted < 0 then granted = 0 end
local wait = 0
for i = 1, #KEYS do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local left = levels[i] - granted
  if granted > 0 then
    redis.call('HSET', KEYS[i], 'tokens', tostring(left), 'ts', tostring(now))
    redis.call('PEXPIRE', KEYS[i], math.ceil(burst / rate) + 60000)
  end
  if granted < count and left < 1 then
    local w = math.ceil((1 - left) / rate)
    if w > wait then wait = w end
  end
end
if granted < count and wait < 1 then wait = 1 end
return {granted, wait}
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
    const r = await this.takeUpTo(buckets, 1);
    return r.granted === 1 ? { granted: true, waitMs: 0 } : { granted: false, waitMs: r.waitMs };
  }

  async takeUpTo(buckets: readonly BucketSpec[], count: number): Promise<TakeManyResult> {
    if (buckets.length === 0 || count <= 0) return { granted: Math.max(0, count), waitMs: 0 };
    const keys = buckets.map((b) => REDIS_BUCKET_PREFIX + b.key);
    const args = buckets.flatMap((b) => [String(b.ratePerMs), String(b.burst)]);
    const [granted, wait] = await this.redis.tocsinTake(keys.length, ...keys, ...args, String(count));
    return { granted: Number(granted), waitMs: Number(granted) < count ? Math.max(1, Number(wait)) : 0 };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
