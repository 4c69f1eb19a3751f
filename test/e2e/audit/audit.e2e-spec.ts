import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type pg from 'pg';
import { AuditAction } from '../../../src/audit/audit.types.js';
import { AuditWriter } from '../../../src/audit/audit.writer.js';
import { Database } from '../../../src/db/database.service.js';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { api, openPg } from '../poison/poison-fixtures.js';

describe('audit log (API)', () => {
  let app: TestApp;
  let db: pg.Client;
  const tag = randomUUID().slice(0, 8);

  beforeAll(async () => {
    app = await startTestApp({ env: { TOCSIN_WORKERS: '0' } });
    db = await openPg();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  async function createKeys(target: TestApp, prefix: string, n: number): Promise<string[]> {
    const replies = await Promise.all(
      Array.from({ length: n }, (_, i) => api(target, 'POST', '/api/v1/keys', { name: `${prefix}-${i}`, scopes: ['audit:read'] })),
    );
    for (const r of replies) expect(r.status).toBe(201);
    return replies.map((r) => r.body.id as string);
  }

  async function auditIdsFor(keyIds: string[]): Promise<string[]> {
    const { rows } = await db.query(`SELECT a.id::text FROM audit_log a WHERE a.action = 'key.create' AND a.target = ANY($1) ORDER BY a.id`, [
      keyIds.map((k) => `key:${k}`),
    ]);
    return rows.map((r) => r.id);
  }

  describe('GET /api/v1/audit', () => {
    it('should list entries newest first, by action and by actor name or key id, with a cursor', async () => {
      const admin = await api(app, 'POST', '/api/v1/keys', { name: `auditor-${tag}`, scopes: ['admin'] });
      const headers = { authorization: `Bearer ${admin.body.key}` };
      const made = await Promise.all([0, 1, 2].map((i) => api(app, 'POST', '/api/v1/keys', { name: `made-${tag}-${i}`, scopes: ['alerts:read'] }, headers)));
      const byName = await api(app, 'GET', `/api/v1/audit?actor=auditor-${tag}&action=key.create&limit=2`);
      expect(byName.status).toBe(200);
      expect(byName.body.items).toHaveLength(2);
      const entry = byName.body.items[0];
      expect(Object.keys(entry).sort()).toEqual(['action', 'actor', 'at', 'details', 'hash', 'id', 'prevHash', 'requestId', 'target']);
      expect(entry.actor).toEqual({ keyId: admin.body.id, keyName: `auditor-${tag}` });
      const rest = await api(app, 'GET', `/api/v1/audit?actor=${admin.body.id}&action=key.create&limit=2&cursor=${byName.body.nextCursor}`);
      expect(rest.body.nextCursor).toBeNull();
      const targets = [...byName.body.items, ...rest.body.items].map((e: { target: string }) => e.target);
      // The keys were made concurrently, so their audit entries (newest first) follow the chain's order, not the key ids'.
      const { rows } = await db.query(`SELECT a.target FROM audit_log a WHERE a.action = 'key.create' AND a.target = ANY($1) ORDER BY a.id DESC`, [
        made.map((m) => `key:${m.body.id}`),
      ]);
      expect(rows).toHaveLength(3);
      expect(targets).toEqual(rows.map((r) => r.target));
    });

    it('should answer 400 for an unknown action and 403 without audit:read', async () => {
      expect((await api(app, 'GET', '/api/v1/audit?action=key.delete')).status).toBe(400);
      const key = await api(app, 'POST', '/api/v1/keys', { name: `no-audit-${tag}`, scopes: ['deliveries:read'] });
      expect((await api(app, 'GET', '/api/v1/audit', undefined, { authorization: `Bearer ${key.body.key}` })).status).toBe(403);
    });
  });

  describe('GET /api/v1/audit/verify', () => {
    it('should be ok on an untouched chain', async () => {
      await createKeys(app, `clean-${tag}`, 3);
      const res = await api(app, 'GET', '/api/v1/audit/verify');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true, checked: expect.any(Number), firstBadId: null });
      const { rows } = await db.query('SELECT count(*)::int AS n FROM audit_log');
      expect(res.body.checked).toBe(rows[0].n);
    });

    it('should name a row changed by SQL', async () => {
      const ids = await auditIdsFor(await createKeys(app, `tamper-${tag}`, 3));
      const victim = ids[1];
      const { rows } = await db.query('SELECT details FROM audit_log WHERE id = $1', [victim]);
      try {
        await db.query(`UPDATE audit_log SET details = details || '{"scopes":["admin"]}'::jsonb WHERE id = $1`, [victim]);
        expect((await api(app, 'GET', '/api/v1/audit/verify')).body).toMatchObject({ ok: false, firstBadId: victim });
      } finally {
        await db.query('UPDATE audit_log SET details = $2 WHERE id = $1', [victim, rows[0].details]);
      }
      expect((await api(app, 'GET', '/api/v1/audit/verify')).body.ok).toBe(true);
    });

    it('should name the row after a deleted one', async () => {
      const ids = await auditIdsFor(await createKeys(app, `gap-${tag}`, 3));
      const { rows: next } = await db.query('SELECT a.id::text FROM audit_log a WHERE a.id > $1 ORDER BY a.id LIMIT 2', [ids[0]]);
      const [deleted, after] = next.map((r) => r.id);
      const { rows } = await db.query('SELECT * FROM audit_log WHERE id = $1', [deleted]);
      const saved = rows[0];
      try {
        await db.query('DELETE FROM audit_log WHERE id = $1', [deleted]);
        expect((await api(app, 'GET', '/api/v1/audit/verify')).body).toMatchObject({ ok: false, firstBadId: after });
      } finally {
        await db.query(
          `INSERT INTO audit_log (id, at, actor_key_id, actor_key_name, action, target, request_id, details, prev_hash, hash, write_seconds)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [saved.id, saved.at, saved.actor_key_id, saved.actor_key_name, saved.action, saved.target, saved.request_id, saved.details, saved.prev_hash, saved.hash, saved.write_seconds],
        );
      }
      expect((await api(app, 'GET', '/api/v1/audit/verify')).body.ok).toBe(true);
    });

    it('should keep a valid chain when two app instances write at the same time', async () => {
      const second = await startTestApp({ env: { TOCSIN_WORKERS: '0' } });
      try {
        const [a, b] = await Promise.all([createKeys(app, `left-${tag}`, 15), createKeys(second, `right-${tag}`, 15)]);
        expect(await auditIdsFor([...a, ...b])).toHaveLength(30);
        expect((await api(second, 'GET', '/api/v1/audit/verify')).body).toMatchObject({ ok: true, firstBadId: null });
      } finally {
        await second.close();
      }
    });
  });

  describe('GET /api/v1/audit/export.csv', () => {
    const actor = `exporter-${tag}`;

    beforeAll(async () => {
      // 10,001 entries through the writer (the real hash chain), in one transaction.
      const writer = app.app.get(AuditWriter);
      await app.app.get(Database).transaction(async (tx) => {
        for (let i = 0; i < 10_001; i++) {
          await writer.append(tx, {
            actor: { keyId: null, keyName: actor, scopes: [] },
            action: AuditAction.ConfigReload,
            target: i === 10_000 ? '=HYPERLINK("x")' : `config-${i}`,
            requestId: `req-${i}`,
            details: { n: i, note: i === 10_000 ? '@SUM(A1)' : 'plain, with "quotes"' },
          });
        }
      });
    }, 120_000);

    it('should stream at most 10,000 rows and say it truncated', async () => {
      const res = await fetch(`${app.url}/api/v1/audit/export.csv?actor=${actor}`, { headers: app.admin });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-export-truncated')).toBe('true');
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const text = await res.text();
      const records: string[][] = parse(text, { relax_column_count: false, relax_quotes: false });
      expect(records[0]).toEqual(['id', 'at', 'actor_key_id', 'actor_key_name', 'action', 'target', 'request_id', 'details', 'hash']);
      expect(records).toHaveLength(10_001);
      expect(text.endsWith('\r\n')).toBe(true);
      // Newest first: the HYPERLINK row (the last written) leads, neutralised.
      const [, newest] = records;
      expect(newest[5]).toBe(`'=HYPERLINK("x")`);
      expect(newest[3]).toBe(actor);
      expect(newest[4]).toBe('config.reload');
      expect(JSON.parse(newest[7])).toEqual({ n: 10_000, note: '@SUM(A1)' });
      expect(records[2][7]).toBe('{"n":9999,"note":"plain, with \\"quotes\\""}');
    });

    it('should not say truncated when everything fits', async () => {
      const res = await fetch(`${app.url}/api/v1/audit/export.csv?actor=${actor}&from=2000-01-01T00:00:00Z&action=key.create`, { headers: app.admin });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-export-truncated')).toBeNull();
      expect(parse(await res.text())).toEqual([['id', 'at', 'actor_key_id', 'actor_key_name', 'action', 'target', 'request_id', 'details', 'hash']]);
    });

    it('should verify the whole chain including the exported rows', async () => {
      expect((await api(app, 'GET', '/api/v1/audit/verify')).body.ok).toBe(true);
    });
  });
});
