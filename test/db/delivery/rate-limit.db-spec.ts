import { randomUUID } from 'node:crypto';
import { Database } from '../../../src/db/database.service.js';
import { PgRateLimiter } from '../../../src/delivery/rate-limit/pg-rate-limiter.js';
import { RateLimitRepository } from '../../../src/delivery/rate-limit/rate-limit.repository.js';
import type { BucketSpec, RateLimiter } from '../../../src/delivery/rate-limit/rate-limiter.js';
import { RedisRateLimiter } from '../../../src/delivery/rate-limit/redis-rate-limiter.js';
import { openTestDatabase } from './db.js';

const HOUR = 3_600_000;

function bucket(burst: number, ratePerMs = 1 / HOUR): BucketSpec {
  return { key: `test:${randomUUID()}`, ratePerMs, burst };
}

async function takeMany(limiter: RateLimiter, buckets: BucketSpec[], n: number): Promise<number> {
  const results = await Promise.all(Array.from({ length: n }, () => limiter.take(buckets)));
  return results.filter((r) => r.granted).length;
}

function describeLimiter(name: string, make: () => Promise<{ limiter: RateLimiter; close(): Promise<void> }>) {
  describe(name, () => {
    let limiter: RateLimiter;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ limiter, close } = await make());
    });
    afterAll(async () => {
      await close();
    });

    it('should grant exactly burst tokens to many concurrent takers', async () => {
      const b = bucket(5);
      expect(await takeMany(limiter, [b], 40)).toBe(5);
    });

    it('should say how long to wait for the next token', async () => {
      const b = bucket(1, 1 / 1000);
      expect((await limiter.take([b])).granted).toBe(true);
      const denied = await limiter.take([b]);
      expect(denied.granted).toBe(false);
      expect(denied.waitMs).toBeGreaterThan(500);
      expect(denied.waitMs).toBeLessThanOrEqual(1000);
    });

    it('should refill at the rate once time passes', async () => {
      const b = bucket(2, 1 / 100);
      expect(await takeMany(limiter, [b], 10)).toBe(2);
      const deadline = Date.now() + 3000;
      let granted = false;
      while (!granted && Date.now() < deadline) {
        const r = await limiter.take([b]);
        granted = r.granted;
        if (!granted) await new Promise((done) => setTimeout(done, r.waitMs));
      }
      expect(granted).toBe(true);
    });

    it('should take from no bucket when one of them is empty', async () => {
      const target = bucket(3);
      const global = bucket(1);
      expect((await limiter.take([target, global])).granted).toBe(true);
      expect((await limiter.take([target, global])).granted).toBe(false);
      // the target still holds its two remaining tokens
      expect(await takeMany(limiter, [target], 5)).toBe(2);
    });

    it('should grant concurrent batch takers no more tokens in total than the bucket holds', async () => {
      const b = bucket(10);
      const results = await Promise.all(Array.from({ length: 5 }, () => limiter.takeUpTo([b], 4)));
      expect(results.reduce((n, r) => n + r.granted, 0)).toBe(10);
      for (const r of results) expect(r.waitMs > 0).toBe(r.granted < 4);
      expect((await limiter.take([b])).granted).toBe(false);
    });

    it('should take the same number from every bucket of a batch, as many as the emptiest holds', async () => {
      const target = bucket(5);
      const global = bucket(3);
      const r = await limiter.takeUpTo([target, global], 4);
      expect(r.granted).toBe(3);
      expect(r.waitMs).toBeGreaterThan(0);
      expect(await takeMany(limiter, [target], 5)).toBe(2);
      expect((await limiter.takeUpTo([target, global], 2)).granted).toBe(0);
    });
  });
}

describeLimiter('PgRateLimiter', async () => {
  const { db, close } = await openTestDatabase();
  return { limiter: new PgRateLimiter(db as Database, new RateLimitRepository()), close };
});

describeLimiter('RedisRateLimiter', async () => {
  const limiter = new RedisRateLimiter(`redis://127.0.0.1:6379/${process.env.TOCSIN_TEST_REDIS_DB ?? '15'}`);
  return { limiter, close: () => limiter.close() };
});
