import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Channel } from '../../../src/channels/channel-adapter.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { api, insertPoison, openPg } from './poison-fixtures.js';

const DELIVERY_KEYS = [
  'channel',
  'createdAt',
  'deliveredAt',
  'dueAt',
  'errorMessage',
  'failedAt',
  'fingerprints',
  'groupKey',
  'id',
  'nextAttemptAt',
  'receiver',
  'recipient',
  'retryCount',
  'status',
];

describe('deliveries and the poison queue (API)', () => {
  let app: TestApp;
  let db: pg.Client;
  const receiver = `poison-api-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    // No workers: replayed rows stay pending, so the state transitions can be read back as they are.
    app = await startTestApp({ env: { TOCSIN_WORKERS: '0' } });
    db = await openPg();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  async function auditFor(requestAction: string, target: string | null): Promise<Array<Record<string, unknown>>> {
    const { rows } = await db.query(
      `SELECT actor_key_name, action, target, details FROM audit_log WHERE action = $1 AND target IS NOT DISTINCT FROM $2 ORDER BY id`,
      [requestAction, target],
    );
    return rows;
  }

  describe('GET /api/v1/deliveries/{id}', () => {
    it('should show exactly the documented fields and the attempts in order', async () => {
      const [id] = await insertPoison(app, [{ receiver, errorMessage: 'webhook answered 400: bad payload', retryCount: 1 }]);
      await db.query(
        `INSERT INTO delivery_attempts (delivery_id, started_at, duration_ms, outcome, provider, provider_status, provider_code, error)
         VALUES ($1, now() - interval '2 minutes', 120, 'retry', 'webhook', 503, NULL, 'webhook answered 503'),
                ($1, now() - interval '1 minute', 80, 'poison', 'webhook', 400, 'invalid_payload', 'webhook answered 400: bad payload')`,
        [id],
      );
      const res = await api(app, 'GET', `/api/v1/deliveries/${id}`);
      expect(res.status).toBe(200);
      const { attempts, ...delivery } = res.body;
      expect(Object.keys(delivery).sort()).toEqual(DELIVERY_KEYS);
      expect(delivery).toMatchObject({ id, status: 'poison', channel: 'webhook', receiver, retryCount: 1, nextAttemptAt: null });
      expect(delivery.errorMessage).toBe('webhook answered 400: bad payload');
      expect(attempts).toEqual([
        expect.objectContaining({ outcome: 'retry', durationMs: 120, provider: 'webhook', providerStatus: 503, providerCode: null }),
        expect.objectContaining({ outcome: 'poison', providerStatus: 400, providerCode: 'invalid_payload', error: 'webhook answered 400: bad payload' }),
      ]);
      expect(Object.keys(attempts[0]).sort()).toEqual(['durationMs', 'error', 'outcome', 'provider', 'providerCode', 'providerStatus', 'startedAt']);
    });

    it('should answer 404 for an unknown or non-numeric id', async () => {
      expect((await api(app, 'GET', '/api/v1/deliveries/999999999')).status).toBe(404);
      expect((await api(app, 'GET', '/api/v1/deliveries/abc')).status).toBe(404);
    });
  });

  describe('GET /api/v1/deliveries', () => {
    it('should page newest first with a cursor, filtered by receiver', async () => {
      const r = `${receiver}-list`;
      const ids = await insertPoison(app, [{ receiver: r }, { receiver: r }, { receiver: r }]);
      const first = await api(app, 'GET', `/api/v1/deliveries?receiver=${r}&limit=2`);
      expect(first.status).toBe(200);
      expect(first.body.items.map((d: { id: string }) => d.id)).toEqual([ids[2], ids[1]]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await api(app, 'GET', `/api/v1/deliveries?receiver=${r}&limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    });

    it('should filter by status, channel and fingerprint', async () => {
      const r = `${receiver}-filter`;
      const [sms, hook] = await insertPoison(app, [
        { receiver: r, channel: Channel.Sms, fingerprints: ['00000000000000aa'] },
        { receiver: r, channel: Channel.Webhook, fingerprints: ['00000000000000bb'] },
      ]);
      const bySms = await api(app, 'GET', `/api/v1/deliveries?receiver=${r}&channel=sms&status=poison`);
      expect(bySms.body.items.map((d: { id: string }) => d.id)).toEqual([sms]);
      const byFp = await api(app, 'GET', `/api/v1/deliveries?fingerprint=00000000000000bb&receiver=${r}`);
      expect(byFp.body.items.map((d: { id: string }) => d.id)).toEqual([hook]);
      const none = await api(app, 'GET', `/api/v1/deliveries?receiver=${r}&status=delivered`);
      expect(none.body).toEqual({ items: [], nextCursor: null });
    });

    it('should answer 400 for limit 501 and for an unknown status', async () => {
      const big = await api(app, 'GET', '/api/v1/deliveries?limit=501');
      expect(big.status).toBe(400);
      expect(big.body.errors).toEqual([expect.objectContaining({ path: 'limit' })]);
      expect((await api(app, 'GET', '/api/v1/deliveries?status=lost')).status).toBe(400);
    });
  });

  describe('GET /api/v1/poison', () => {
    it('should list poison deliveries newest failedAt first, by channel', async () => {
      const base = Date.parse('2003-03-03T00:00:00Z');
      const ids = await insertPoison(app, [
        { receiver, channel: Channel.Email, failedAt: new Date(base + 2000) },
        { receiver, channel: Channel.Email, failedAt: new Date(base + 9000) },
        { receiver, channel: Channel.Email, failedAt: new Date(base + 5000) },
      ]);
      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string; receiver: string }>; nextCursor: string | null } } = await api(
          app,
          'GET',
          `/api/v1/poison?channel=email&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        all.push(...page.body.items.filter((d) => ids.includes(d.id)).map((d) => d.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(all).toEqual([ids[1], ids[2], ids[0]]);
    });
  });

  describe('POST /api/v1/poison/{id}/replay', () => {
    it('should put a poison delivery back to pending with retryCount 0, due now, and audit it', async () => {
      const [id] = await insertPoison(app, [{ receiver, retryCount: 5 }]);
      const before = Date.now();
      const res = await api(app, 'POST', `/api/v1/poison/${id}/replay`, { reason: 'webhook fixed by platform team' });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ id, status: 'pending', retryCount: 0 });
      expect(Date.parse(res.body.dueAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(res.body.nextAttemptAt)).toBeGreaterThanOrEqual(before - 1000);
      const entries = await auditFor('delivery.replay', `delivery:${id}`);
      expect(entries).toEqual([
        expect.objectContaining({ actor_key_name: 'bootstrap', details: expect.objectContaining({ reason: 'webhook fixed by platform team', ids: [id] }) }),
      ]);
    });

    it('should answer 409 for a delivery that is not poison and 404 for an unknown one', async () => {
      const [id] = await insertPoison(app, [{ receiver }]);
      await db.query(`UPDATE alert_deliveries SET status = 'delivered', delivered_at = now() WHERE id = $1`, [id]);
      const res = await api(app, 'POST', `/api/v1/poison/${id}/replay`, {});
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('delivered');
      expect((await api(app, 'POST', '/api/v1/poison/888888888/replay', {})).status).toBe(404);
      expect(await auditFor('delivery.replay', `delivery:${id}`)).toEqual([]);
    });

    it('should let exactly one of two concurrent replays win (202) and give the other 409', async () => {
      const [id] = await insertPoison(app, [{ receiver }]);
      const results = await Promise.all([
        api(app, 'POST', `/api/v1/poison/${id}/replay`, {}),
        api(app, 'POST', `/api/v1/poison/${id}/replay`, {}),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([202, 409]);
      expect(await auditFor('delivery.replay', `delivery:${id}`)).toHaveLength(1);
    });

    it('should need deliveries:write (403 for a read-only key)', async () => {
      const key = await api(app, 'POST', '/api/v1/keys', { name: `${receiver}-reader`, scopes: ['deliveries:read'] });
      const [id] = await insertPoison(app, [{ receiver }]);
      const headers = { authorization: `Bearer ${key.body.key}` };
      expect((await api(app, 'GET', `/api/v1/deliveries/${id}`, undefined, headers)).status).toBe(200);
      expect((await api(app, 'POST', `/api/v1/poison/${id}/replay`, {}, headers)).status).toBe(403);
    });
  });

  describe('the runbook UPDATE typed in psql', () => {
    it('should re-pend a poison delivery, due now, with no audit entry', async () => {
      const [id] = await insertPoison(app, [{ receiver, retryCount: 5 }]);
      await db.query(`UPDATE alert_deliveries SET next_attempt_at = now() - interval '1 day' WHERE id = $1`, [id]);
      const before = Date.now();
      execFileSync('psql', [
        process.env.DATABASE_URL as string,
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `UPDATE alert_deliveries SET status = 'pending', retry_count = 0 WHERE id = ${id} AND status = 'poison'`,
      ]);
      const res = await api(app, 'GET', `/api/v1/deliveries/${id}`);
      expect(res.body).toMatchObject({ status: 'pending', retryCount: 0 });
      expect(Date.parse(res.body.dueAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(res.body.nextAttemptAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(await auditFor('delivery.replay', `delivery:${id}`)).toEqual([]);
    });
  });

  describe('POST /api/v1/poison/replay', () => {
    const reason = 'provider outage over, replaying the backlog';

    it('should replay exactly the ids its dry run listed for the same filter', async () => {
      const base = Date.parse('2002-02-02T00:00:00Z');
      const inWindow = await insertPoison(app, [
        { receiver, channel: Channel.Slack, failedAt: new Date(base + 1000) },
        { receiver, channel: Channel.Slack, failedAt: new Date(base + 2000) },
        { receiver, channel: Channel.Slack, failedAt: new Date(base + 3000) },
      ]);
      const [otherChannel, outside] = await insertPoison(app, [
        { receiver, channel: Channel.Sms, failedAt: new Date(base + 1500) },
        { receiver, channel: Channel.Slack, failedAt: new Date(base + 60_000) },
      ]);
      const filter = { channel: 'slack', failedAfter: new Date(base).toISOString(), failedBefore: new Date(base + 10_000).toISOString(), reason };
      const dry = await api(app, 'POST', '/api/v1/poison/replay', { ...filter, dryRun: true });
      expect(dry.status).toBe(200);
      expect(dry.body).toEqual({ dryRun: true, replayed: 3, ids: [...inWindow].sort((a, b) => Number(a) - Number(b)) });
      const stillPoison = await db.query(`SELECT count(*)::int AS n FROM alert_deliveries WHERE id = ANY($1::bigint[]) AND status = 'poison'`, [inWindow]);
      expect(stillPoison.rows[0].n).toBe(3);

      const real = await api(app, 'POST', '/api/v1/poison/replay', filter);
      expect(real.status).toBe(200);
      expect(real.body).toEqual({ dryRun: false, replayed: 3, ids: dry.body.ids });
      const { rows } = await db.query(`SELECT d.id::text, status, retry_count FROM alert_deliveries d WHERE d.id = ANY($1::bigint[]) ORDER BY d.id`, [
        [...inWindow, otherChannel, outside],
      ]);
      const status = Object.fromEntries(rows.map((r) => [r.id, `${r.status}/${r.retry_count}`]));
      expect(inWindow.map((id) => status[id])).toEqual(['pending/0', 'pending/0', 'pending/0']);
      expect(status[otherChannel]).toBe('poison/1');
      expect(status[outside]).toBe('poison/1');
      const [entry] = await auditFor('delivery.bulk_replay', null).then((e) => e.filter((x) => JSON.stringify(x.details).includes(inWindow[0])));
      expect(entry.details).toMatchObject({ reason, replayed: 3, ids: dry.body.ids });
    });

    it('should replay by ids only the ones still poison', async () => {
      const [a, b] = await insertPoison(app, [{ receiver }, { receiver }]);
      await db.query(`UPDATE alert_deliveries SET status = 'discarded' WHERE id = $1`, [b]);
      const res = await api(app, 'POST', '/api/v1/poison/replay', { ids: [a, b], reason });
      expect(res.body).toEqual({ dryRun: false, replayed: 1, ids: [a] });
    });

    it('should answer 400 without any selector', async () => {
      const res = await api(app, 'POST', '/api/v1/poison/replay', { reason, dryRun: true });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/selector/);
    });

    it('should answer 400 naming reason when it is shorter than 20 characters', async () => {
      const res = await api(app, 'POST', '/api/v1/poison/replay', { channel: 'slack', reason: 'too short' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    });
  });

  describe('POST /api/v1/poison/{id}/discard', () => {
    it('should answer 400 naming reason for a 19-character reason and leave the delivery poison', async () => {
      const [id] = await insertPoison(app, [{ receiver }]);
      const reason19 = 'x'.repeat(19);
      const res = await api(app, 'POST', `/api/v1/poison/${id}/discard`, { reason: reason19 });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'reason', message: 'reason must be at least 20 characters' }]);
      expect((await api(app, 'GET', `/api/v1/deliveries/${id}`)).body.status).toBe('poison');
    });

    it('should discard with a reason of 20 characters and audit it', async () => {
      const [id] = await insertPoison(app, [{ receiver }]);
      const reason20 = 'provider number gone';
      const res = await api(app, 'POST', `/api/v1/poison/${id}/discard`, { reason: reason20 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: 'discarded' });
      expect(await auditFor('delivery.discard', `delivery:${id}`)).toEqual([
        expect.objectContaining({ details: expect.objectContaining({ reason: reason20, ids: [id] }) }),
      ]);
      expect((await api(app, 'POST', `/api/v1/poison/${id}/discard`, { reason: reason20 })).status).toBe(409);
    });
  });

  describe('GET /api/v1/deliveries/stats', () => {
    it('should count by status and channel and give the P95 of delivered_at - due_at', async () => {
      // The P95 covers every delivery in the window: start from an empty table, whatever ran before.
      await db.query('TRUNCATE alert_deliveries CASCADE');
      const before = (await api(app, 'GET', '/api/v1/deliveries/stats?window=1h')).body;
      const ids = await insertPoison(app, [{ receiver }, { receiver }, { receiver }]);
      // Two delivered 2 s and 4 s after they were due.
      await db.query(
        `UPDATE alert_deliveries SET status = 'delivered', failed_at = NULL, due_at = now() - interval '10 seconds',
                delivered_at = now() - interval '10 seconds' + (CASE WHEN id = $1 THEN interval '2 seconds' ELSE interval '4 seconds' END)
          WHERE id = ANY($2::bigint[])`,
        [ids[0], [ids[0], ids[1]]],
      );
      const after = (await api(app, 'GET', '/api/v1/deliveries/stats?window=1h')).body;
      expect(after.window).toBe('1h');
      expect(after.byStatus.delivered - (before.byStatus.delivered ?? 0)).toBe(2);
      expect(after.byChannel.webhook.poison - (before.byChannel.webhook?.poison ?? 0)).toBeGreaterThanOrEqual(1);
      expect(after.deliveredPerMinute).toBeGreaterThan(0);
      expect(after.latencyP95Seconds).toBeGreaterThanOrEqual(2);
      expect((await api(app, 'GET', '/api/v1/deliveries/stats?window=soon')).status).toBe(400);
    });
  });
});
