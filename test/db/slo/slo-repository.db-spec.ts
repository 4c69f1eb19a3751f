import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../src/db/data-source.js';
import { Database } from '../../../src/db/database.service.js';
import { migrate } from '../../../src/db/migrator.js';
import { sql } from '../../../src/db/tx.js';
import { AdvisoryLeaderLock, SLO_LEADER_LOCK } from '../../../src/slo/leader-lock.js';
import { SloRepository } from '../../../src/slo/slo.repository.js';
import { SloName, SloState } from '../../../src/slo/slo.types.js';

const silent = pino({ level: 'silent' });

describe(SloRepository.name, () => {
  let source: DataSource;
  let db: Database;
  const repo = new SloRepository();

  beforeAll(async () => {
    source = createDataSource(process.env.DATABASE_URL ?? '', 4);
    await source.initialize();
    await migrate(source, silent);
    db = new Database(source);
  });
  beforeEach(async () => {
    await sql(db.reader, `TRUNCATE alert_deliveries, delivery_attempts, slo_state, slo_evaluations CASCADE`);
  });
  afterAll(async () => {
    await source?.destroy();
  });

  /** Delivered rows with the given latencies (seconds), delivered `agoS` seconds ago. */
  async function delivered(latencies: number[], agoS = 1): Promise<void> {
    await sql(
      db.reader,
      `INSERT INTO alert_deliveries (channel, recipient, receiver, target_key, group_key, payload, status, due_at, next_attempt_at, delivered_at)
       SELECT 'log', 'log:r', 'r', 'log_configs[0]', 'g' || i, '{}'::jsonb, 'delivered',
              now() - ($2 + l) * interval '1 second', now() - ($2 + l) * interval '1 second', now() - $2 * interval '1 second'
         FROM unnest($1::float8[]) WITH ORDINALITY AS t(l, i)`,
      [latencies, agoS],
    );
  }

  describe('deliveryLatencyP95', () => {
    it('should be null when nothing was delivered in the window', async () => {
      await delivered([500], 600);
      expect(await repo.deliveryLatencyP95(db.reader, new Date(Date.now() - 300_000))).toBeNull();
    });

    it('should take the P95 of delivered_at − due_at over deliveries delivered in the window only', async () => {
      await delivered(Array.from({ length: 20 }, (_, i) => i + 1)); // 1..20 s
      await delivered([1000, 1000, 1000], 600); // outside the 5-minute window
      const p95 = await repo.deliveryLatencyP95(db.reader, new Date(Date.now() - 300_000));
      expect(p95).toBeCloseTo(19.05, 1); // percentile_cont(0.95) of 1..20
    });
  });

  describe('poisonCount', () => {
    it('should count poison deliveries only', async () => {
      await delivered([1]);
      await sql(db.reader, `UPDATE alert_deliveries SET status = 'poison', failed_at = now()`);
      await delivered([1, 2]);
      expect(await repo.poisonCount(db.reader)).toBe(1);
    });
  });

  describe('saveStates', () => {
    it('should upsert one row per SLO', async () => {
      const now = new Date('2026-01-01T00:00:00Z');
      await repo.saveStates(db.reader, [{ name: SloName.PoisonQueueSize, state: SloState.Ok, since: now, value: 0, evaluatedAt: now }]);
      const later = new Date('2026-01-01T00:00:10Z');
      await repo.saveStates(db.reader, [{ name: SloName.PoisonQueueSize, state: SloState.Breach, since: later, value: 11, evaluatedAt: later }]);
      expect(await repo.states(db.reader)).toEqual([{ name: 'poison_queue_size', state: 'breach', since: later, value: 11, evaluatedAt: later }]);
    });
  });
});

describe(AdvisoryLeaderLock.name, () => {
  const url = process.env.DATABASE_URL ?? '';

  it('should let one of two sessions hold the lock, and the other once the first closes', async () => {
    const a = new AdvisoryLeaderLock(url, SLO_LEADER_LOCK + 1000, silent);
    const b = new AdvisoryLeaderLock(url, SLO_LEADER_LOCK + 1000, silent);
    try {
      expect(await a.acquire()).toBe(true);
      expect(await b.acquire()).toBe(false);
      expect(await a.acquire()).toBe(true);
      await a.close();
      expect(await b.acquire()).toBe(true);
      expect(await a.acquire()).toBe(false);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
