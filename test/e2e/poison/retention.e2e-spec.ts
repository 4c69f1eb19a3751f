import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { RETENTION_LOCK } from '../../../src/ops/retention.repository.js';
import { RETENTION_BATCH, RetentionService } from '../../../src/ops/retention.service.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { openPg } from './poison-fixtures.js';

describe(RetentionService.name, () => {
  let app: TestApp;
  let db: pg.Client;
  const receiver = `retention-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    app = await startTestApp({
      env: { TOCSIN_WORKERS: '0' },
      configYaml: `
route: { receiver: log }
receivers: [{ name: log, log_configs: [{}] }]
retention: { delivered: 1d, discarded: 2d }
`,
    });
    db = await openPg();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  /** Inserts `n` rows for this test's receiver; `set` is applied with triggers off (to backdate updated_at). */
  async function insert(n: number, tag: string, set: string): Promise<string[]> {
    const { rows } = await db.query(
      `INSERT INTO alert_deliveries (channel, recipient, receiver, target_key, group_key, payload)
       SELECT 'log', 'log:' || $2, $1, 'log_configs[0]', $2, '{}'::jsonb FROM generate_series(1, $3)
       RETURNING id::text`,
      [receiver, tag, n],
    );
    const ids = rows.map((r) => r.id);
    await db.query('SET session_replication_role = replica');
    try {
      await db.query(`UPDATE alert_deliveries SET ${set} WHERE id = ANY($1::bigint[])`, [ids]);
    } finally {
      await db.query('SET session_replication_role = DEFAULT');
    }
    return ids;
  }

  async function surviving(ids: string[]): Promise<number> {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM alert_deliveries WHERE id = ANY($1::bigint[])`, [ids]);
    return rows[0].n;
  }

  it('should prune old delivered and discarded deliveries with their attempts, in batches, and keep poison and audit', async () => {
    const oldDelivered = await insert(RETENTION_BATCH * 2 + 1, 'old-delivered', `status = 'delivered', delivered_at = now() - interval '2 days'`);
    const recentDelivered = await insert(3, 'recent-delivered', `status = 'delivered', delivered_at = now() - interval '12 hours'`);
    const oldPoison = await insert(3, 'old-poison', `status = 'poison', failed_at = now() - interval '400 days', updated_at = now() - interval '400 days'`);
    const oldDiscarded = await insert(2, 'old-discarded', `status = 'discarded', updated_at = now() - interval '3 days'`);
    const youngDiscarded = await insert(2, 'young-discarded', `status = 'discarded', updated_at = now() - interval '1 day'`);
    const [summary] = oldDelivered;
    const folded = await insert(2, 'folded', `status = 'coalesced', coalesced_into = ${summary}`);
    await db.query(
      `INSERT INTO delivery_attempts (delivery_id, started_at, duration_ms, outcome, provider)
       SELECT id, now() - interval '2 days', 10, 'delivered', 'log' FROM unnest($1::bigint[]) AS id`,
      [oldDelivered.slice(0, 10)],
    );
    const audit = await db.query('SELECT count(*)::int AS n, max(id)::text AS max FROM audit_log');

    const result = await app.app.get(RetentionService).runOnce();

    expect(result).not.toBeNull();
    expect(result?.delivered).toBeGreaterThanOrEqual(oldDelivered.length + folded.length);
    expect(result?.discarded).toBeGreaterThanOrEqual(oldDiscarded.length);
    expect(await surviving(oldDelivered)).toBe(0);
    expect(await surviving(folded)).toBe(0);
    expect(await surviving(oldDiscarded)).toBe(0);
    expect(await surviving(recentDelivered)).toBe(3);
    expect(await surviving(youngDiscarded)).toBe(2);
    expect(await surviving(oldPoison)).toBe(3);
    const attempts = await db.query(`SELECT count(*)::int AS n FROM delivery_attempts WHERE delivery_id = ANY($1::bigint[])`, [oldDelivered]);
    expect(attempts.rows[0].n).toBe(0);
    const auditAfter = await db.query('SELECT count(*)::int AS n, max(id)::text AS max FROM audit_log');
    expect(auditAfter.rows[0]).toEqual(audit.rows[0]);
  });

  it('should do nothing while another replica holds the retention lock', async () => {
    const old = await insert(2, 'locked-out', `status = 'delivered', delivered_at = now() - interval '2 days'`);
    await db.query('SELECT pg_advisory_lock($1)', [RETENTION_LOCK]);
    try {
      expect(await app.app.get(RetentionService).runOnce()).toBeNull();
      expect(await surviving(old)).toBe(2);
    } finally {
      await db.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
    }
    expect(await app.app.get(RetentionService).runOnce()).not.toBeNull();
    expect(await surviving(old)).toBe(0);
  });
});
