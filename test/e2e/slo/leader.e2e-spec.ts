import type pg from 'pg';
import { INSTANCE_ID } from '../../../src/common/tokens.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { psql, resetSloState, until } from './slo-helpers.js';

const CONFIG = `
route: { receiver: default-log }
receivers:
  - name: default-log
    log_configs: [{}]
slo: { interval: 1s, window: 5m }
`;

async function evaluationsSince(db: pg.Client, from: Date): Promise<Map<string, number>> {
  const res = await db.query<{ instance_id: string; n: number }>(
    `SELECT instance_id, count(*)::int AS n FROM slo_evaluations WHERE evaluated_at >= $1 GROUP BY instance_id`,
    [from.toISOString()],
  );
  return new Map(res.rows.map((r) => [r.instance_id, r.n]));
}

describe('SLO evaluation across replicas', () => {
  let db: pg.Client;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    db = await psql();
    await resetSloState(db);
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await db?.end();
  });

  it('should evaluate on exactly one of two instances, and on the other within two intervals once the first is closed', async () => {
    apps.push(await startTestApp({ env: { TOCSIN_SLO: '1' }, configYaml: CONFIG }), await startTestApp({ env: { TOCSIN_SLO: '1' }, configYaml: CONFIG }));
    const ids = apps.map((a) => a.app.get<string>(INSTANCE_ID));
    const from = new Date();
    const counts = await until(() => evaluationsSince(db, from), (m) => [...m.values()].reduce((x, y) => x + y, 0) >= 4, 10_000, 'four evaluations');
    expect(counts.size).toBe(1);
    const leaderIndex = ids.indexOf([...counts.keys()][0]);
    expect(leaderIndex).toBeGreaterThanOrEqual(0);
    const other = ids[1 - leaderIndex];

    const [leader] = apps.splice(leaderIndex, 1);
    await leader.close();
    const closedAt = Date.now();
    await until(() => evaluationsSince(db, new Date(closedAt - 50)), (m) => (m.get(other) ?? 0) >= 1, 5_000, 'the other instance to evaluate');
    const first = await db.query<{ at: Date }>(`SELECT min(evaluated_at) AS at FROM slo_evaluations WHERE instance_id = $1`, [other]);
    expect(new Date(first.rows[0].at).getTime() - closedAt).toBeLessThanOrEqual(2 * 1000);
    // Exactly one instance ever evaluated at a time: the old leader stopped when it closed.
    const after = await until(() => evaluationsSince(db, new Date(closedAt)), (m) => (m.get(other) ?? 0) >= 3, 5_000, 'three evaluations after the close');
    expect([...after.keys()]).toEqual([other]);
  }, 60_000);

  it('should hand over when the leader loses its database session (as when its process dies)', async () => {
    apps.push(await startTestApp({ env: { TOCSIN_SLO: '1' }, configYaml: CONFIG }));
    const from = new Date();
    const before = await until(() => evaluationsSince(db, from), (m) => m.size === 1, 5_000, 'one leader');
    const leaderId = [...before.keys()][0];
    // Kill the leader's lock session from outside, as a crash or a network cut would.
    const killed = await db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7361010 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(killed.rowCount).toBe(1);
    const killedAt = new Date();
    // Evaluations go on (one replica or the other retakes the lock) within two intervals, one instance at a time.
    await until(() => evaluationsSince(db, killedAt), (m) => [...m.values()].reduce((x, y) => x + y, 0) >= 1, 2_500, 'an evaluation after the kill');
    const holders = await db.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 7361010 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    expect(holders.rows[0].n).toBe(1);
    // Still one evaluation per interval, not one per instance.
    const settled = new Date();
    const window = await until(() => evaluationsSince(db, settled), (m) => [...m.values()].reduce((x, y) => x + y, 0) >= 2, 5_000, 'two more evaluations');
    expect(window.size).toBe(1);
    expect(leaderId).not.toBe('');
  }, 30_000);
});
