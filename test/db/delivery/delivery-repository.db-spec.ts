import pg from 'pg';
import { Channel } from '../../../src/channels/channel-adapter.js';
import type { Database } from '../../../src/db/database.service.js';
import { sql } from '../../../src/db/tx.js';
import { DeliveryOutboxRepository } from '../../../src/delivery/delivery-outbox.repository.js';
import { DeliveryRepository, PAUSE_STATE_NAME } from '../../../src/delivery/delivery.repository.js';
import { AttemptOutcome } from '../../../src/delivery/delivery.types.js';
import { makeNotificationData } from '../../factories/notification.factory.js';
import { openTestDatabase } from './db.js';

interface Row {
  status: string;
  retry_count: number;
  claimed_by: string | null;
  lease_until: Date | null;
  next_attempt_at: Date;
  error_message: string | null;
  failed_at: Date | null;
}

describe(DeliveryRepository.name, () => {
  let db: Database;
  let close: () => Promise<void>;
  const outbox = new DeliveryOutboxRepository();
  const repo = new DeliveryRepository();

  beforeAll(async () => {
    ({ db, close } = await openTestDatabase());
  });
  afterAll(async () => {
    await close();
  });
  beforeEach(async () => {
    await db.transaction(async (tx) => {
      await sql(tx, `DELETE FROM delivery_attempts`);
      await sql(tx, `UPDATE alert_deliveries SET coalesced_into = NULL`);
      await sql(tx, `DELETE FROM alert_deliveries`);
      await sql(tx, `DELETE FROM ops_state WHERE name = $1`, [PAUSE_STATE_NAME]);
    });
  });

  async function insert(n: number, dueAt = new Date(Date.now() - 1000)): Promise<string[]> {
    return db.transaction((tx) =>
      outbox.insertPending(
        tx,
        Array.from({ length: n }, (_, i) => ({
          channel: Channel.Webhook,
          recipient: 'http://127.0.0.1:1',
          receiver: 'repo-test',
          targetKey: 'webhook_configs[0]',
          groupId: null,
          groupKey: `g${i}`,
          fingerprints: [`f${i}`],
          payload: makeNotificationData(),
          dueAt,
        })),
      ),
    );
  }

  async function row(id: string): Promise<Row> {
    const rows = await sql<Row>(db.reader, `SELECT * FROM alert_deliveries WHERE id = $1`, [id]);
    return rows[0];
  }

  describe('claimDue', () => {
    it('should hand each due row to exactly one of several concurrent claimers', async () => {
      await insert(50);
      const claims = await Promise.all(
        Array.from({ length: 5 }, (_, i) => db.transaction((tx) => repo.claimDue(tx, `w${i}`, 20, 30_000))),
      );
      const ids = claims.flat().map((c) => c.id);
      expect(ids).toHaveLength(50);
      expect(new Set(ids).size).toBe(50);
    });

    it('should not claim rows that are not due yet', async () => {
      await insert(3, new Date(Date.now() + 60_000));
      expect(await db.transaction((tx) => repo.claimDue(tx, 'w', 10, 30_000))).toEqual([]);
    });

    it('should claim a sending row again once its lease expired', async () => {
      const [id] = await insert(1);
      await db.transaction((tx) => repo.claimDue(tx, 'dead', 10, 30_000));
      expect(await db.transaction((tx) => repo.claimDue(tx, 'alive', 10, 30_000))).toEqual([]);
      await sql(db.reader, `UPDATE alert_deliveries SET lease_until = now() - interval '1 second' WHERE id = $1`, [id]);
      const again = await db.transaction((tx) => repo.claimDue(tx, 'alive', 10, 30_000));
      expect(again.map((r) => r.id)).toEqual([id]);
      expect((await row(id)).claimed_by).toBe('alive');
      // the dead worker's late settle changes nothing
      expect(await db.transaction((tx) => repo.markDelivered(tx, id, 'dead'))).toBe(false);
      expect((await row(id)).status).toBe('sending');
    });

    it('should claim nothing while deliveries are paused', async () => {
      await insert(2);
      await sql(db.reader, `INSERT INTO ops_state (name, value) VALUES ($1, '{"paused": true}'::jsonb)`, [PAUSE_STATE_NAME]);
      expect(await db.transaction((tx) => repo.claimDue(tx, 'w', 10, 30_000))).toEqual([]);
      await sql(db.reader, `UPDATE ops_state SET value = '{"paused": false}'::jsonb WHERE name = $1`, [PAUSE_STATE_NAME]);
      expect(await db.transaction((tx) => repo.claimDue(tx, 'w', 10, 30_000))).toHaveLength(2);
    });
  });

  describe('settle', () => {
    it('should schedule a retry as pending with the failure counted and the lease cleared', async () => {
      const [id] = await insert(1);
      await db.transaction((tx) => repo.claimDue(tx, 'w', 1, 30_000));
      expect(await db.transaction((tx) => repo.scheduleRetry(tx, id, 'w', 1, 60_000, 'HTTP 500'))).toBe(true);
      const r = await row(id);
      expect(r).toMatchObject({ status: 'pending', retry_count: 1, error_message: 'HTTP 500', claimed_by: null, lease_until: null });
      expect(r.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 50_000);
    });

    it('should poison with failed_at, the error and the retry count', async () => {
      const [id] = await insert(1);
      await db.transaction((tx) => repo.claimDue(tx, 'w', 1, 30_000));
      await db.transaction((tx) => repo.markPoison(tx, id, 'w', 5, 'invalid_payload (HTTP 400)'));
      const r = await row(id);
      expect(r).toMatchObject({ status: 'poison', retry_count: 5, error_message: 'invalid_payload (HTTP 400)' });
      expect(r.failed_at).not.toBeNull();
    });

    it('should settle a batch per outcome kind, guarded by the lease of each row', async () => {
      const [a, b, c, d] = await insert(4);
      await db.transaction((tx) => repo.claimDue(tx, 'w', 3, 30_000));
      await db.transaction((tx) => repo.claimDue(tx, 'other', 1, 30_000));
      const settled = await db.transaction((tx) =>
        repo.settleMany(tx, 'w', {
          delivered: [a, d],
          retries: [{ id: b, retryCount: 1, delayMs: 60_000, error: 'HTTP 503' }],
          poisons: [{ id: c, retryCount: 2, error: 'HTTP 400' }],
        }),
      );
      expect([...settled].sort()).toEqual([a, b, c].sort());
      expect(await row(a)).toMatchObject({ status: 'delivered', claimed_by: null, lease_until: null });
      expect(await row(b)).toMatchObject({ status: 'pending', retry_count: 1, error_message: 'HTTP 503', claimed_by: null });
      expect((await row(b)).next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 50_000);
      expect(await row(c)).toMatchObject({ status: 'poison', retry_count: 2, error_message: 'HTTP 400' });
      // d is held by another worker: untouched
      expect(await row(d)).toMatchObject({ status: 'sending', claimed_by: 'other' });
    });

    it('should claim in due order and stop at the limit with a large backlog waiting', async () => {
      const early = await insert(3, new Date(Date.now() - 60_000));
      await insert(50);
      const claimed = await db.transaction((tx) => repo.claimDue(tx, 'w', 3, 30_000));
      expect(claimed.map((r) => r.id).sort()).toEqual([...early].sort());
    });

    it('should release claimed rows as pending and due at once, and record the attempt', async () => {
      const ids = await insert(2);
      await db.transaction((tx) => repo.claimDue(tx, 'w', 2, 30_000));
      const released = await db.transaction(async (tx) => {
        const out = await repo.release(tx, ids, 'w');
        await repo.recordAttempts(
          tx,
          out.map((id) => ({ deliveryId: id, startedAt: new Date(), durationMs: 3, outcome: AttemptOutcome.Released, provider: 'webhook', worker: 'w' })),
        );
        return out;
      });
      expect(released.sort()).toEqual([...ids].sort());
      expect(await db.transaction((tx) => repo.claimDue(tx, 'w2', 5, 30_000))).toHaveLength(2);
      const attempts = await sql<{ outcome: string }>(db.reader, `SELECT outcome FROM delivery_attempts WHERE delivery_id = ANY($1::bigint[])`, [ids]);
      expect(attempts.map((a) => a.outcome)).toEqual(['released', 'released']);
    });
  });

  describe("the runbook's UPDATE", () => {
    it('should make a poison delivery due at once, whatever its old next_attempt_at, and wake listeners', async () => {
      const [id] = await insert(1);
      await db.transaction((tx) => repo.claimDue(tx, 'w', 1, 30_000));
      await db.transaction((tx) => repo.markPoison(tx, id, 'w', 5, 'gave up'));
      await sql(db.reader, `UPDATE alert_deliveries SET next_attempt_at = now() + interval '1 day' WHERE id = $1`, [id]);

      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await listener.connect();
      try {
        await listener.query('LISTEN tocsin_deliveries');
        const notified = new Promise<void>((resolve) => listener.once('notification', () => resolve()));
        const result = await client.query(
          `UPDATE alert_deliveries SET status = 'pending', retry_count = 0
           WHERE id = ${Number(id)} AND status = 'poison'`,
        );
        expect(result.rowCount).toBe(1);
        await notified;
      } finally {
        await client.end();
        await listener.end();
      }
      const r = await row(id);
      expect(r).toMatchObject({ status: 'pending', retry_count: 0, claimed_by: null, lease_until: null });
      expect(r.next_attempt_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      expect((await db.transaction((tx) => repo.claimDue(tx, 'w', 5, 30_000))).map((c) => c.id)).toEqual([id]);
    });
  });
});
