import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import type pg from 'pg';
import { Channel } from '../../../src/channels/channel-adapter.js';
import { runCli } from '../../../src/cli/main.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../setup/app.js';
import { api, insertPoison, openPg } from '../poison/poison-fixtures.js';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

describe('tocsin CLI against a running Tocsin', () => {
  let app: TestApp;
  let db: pg.Client;
  const receiver = `cli-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    app = await startTestApp({ env: { TOCSIN_WORKERS: '0' } });
    db = await openPg();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      env: { TOCSIN_URL: app.url, TOCSIN_TOKEN: TEST_ADMIN_TOKEN, ...env },
      cwd: tmpdir(),
    });
    return { code, stdout, stderr };
  }

  describe('poison', () => {
    it('list: should print a table by default and the API JSON with --json', async () => {
      const [id] = await insertPoison(app, [{ receiver, channel: Channel.Sms, recipient: '+15550001111', errorMessage: 'Twilio 21211: invalid To number' }]);
      const human = await cli(['poison', 'list', '--channel', 'sms', '--limit', '500']);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/ID.*CHANNEL.*RECIPIENT/);
      expect(human.stdout).toContain('+15550001111');
      expect(human.stdout).toContain('Twilio 21211: invalid To number');
      const json = await cli(['poison', 'list', '--channel', 'sms', '--limit', '500', '--json']);
      const page = JSON.parse(json.stdout);
      expect(page.items.find((d: { id: string }) => d.id === id)).toMatchObject({ status: 'poison', recipient: '+15550001111' });
      expect(page).toHaveProperty('nextCursor');
    });

    it('replay ID: should re-pend it, then fail with exit 1, the problem and what to do the second time', async () => {
      const [id] = await insertPoison(app, [{ receiver }]);
      const first = await cli(['poison', 'replay', id, '--reason', 'endpoint fixed']);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toContain(`delivery ${id} replayed: now pending, retry count 0`);
      const second = await cli(['poison', 'replay', id]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('error: Conflict (409)');
      expect(second.stderr).toContain('is pending, not poison');
      expect(second.stderr).toContain('what to do: it is not poison any more');
    });

    it('replay by filter: the dry run and the real run should name the same ids', async () => {
      const base = Date.parse('2004-04-04T00:00:00Z');
      const ids = await insertPoison(app, [
        { receiver, channel: Channel.PagerDuty, failedAt: new Date(base + 1000) },
        { receiver, channel: Channel.PagerDuty, failedAt: new Date(base + 2000) },
      ]);
      const args = ['poison', 'replay', '--channel', 'pagerduty', '--failed-after', new Date(base).toISOString(), '--failed-before', new Date(base + 5000).toISOString(), '--reason', 'PagerDuty incident resolved at 03:10'];
      const dry = await cli([...args, '--dry-run', '--json']);
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.stdout)).toEqual({ dryRun: true, replayed: 2, ids });
      const real = await cli(args);
      expect(real.code).toBe(0);
      expect(real.stdout).toBe(`replayed 2 deliveries: ${ids.join(', ')}\n`);
    });

    it('discard: should show the field error for a short reason (exit 1) and discard with a good one', async () => {
      const [id] = await insertPoison(app, [{ receiver }]);
      const short = await cli(['poison', 'discard', id, '--reason', 'x'.repeat(19)]);
      expect(short.code).toBe(1);
      expect(short.stderr).toContain('error: Invalid request (400)');
      expect(short.stderr).toContain('  reason: reason must be at least 20 characters');
      const ok = await cli(['poison', 'discard', id, '--reason', 'customer offboarded, no pager', '--json']);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ id, status: 'discarded' });
    });

    it('discard without --reason and replay with a non-numeric id should be usage errors (exit 2)', async () => {
      expect((await cli(['poison', 'discard', '12'])).code).toBe(2);
      expect((await cli(['poison', 'replay', 'abc'])).code).toBe(2);
    });
  });

  describe('deliveries show', () => {
    it('should print the delivery and its attempts, or the API JSON', async () => {
      const [id] = await insertPoison(app, [{ receiver, errorMessage: 'webhook answered 400' }]);
      await db.query(
        `INSERT INTO delivery_attempts (delivery_id, started_at, duration_ms, outcome, provider, provider_status, error)
         VALUES ($1, now(), 42, 'poison', 'webhook', 400, 'webhook answered 400')`,
        [id],
      );
      const human = await cli(['deliveries', 'show', id]);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(new RegExp(`^id\\s+${id}$`, 'm'));
      expect(human.stdout).toMatch(/^status\s+poison$/m);
      expect(human.stdout).toMatch(/poison.*webhook.*400/);
      const json = JSON.parse((await cli(['deliveries', 'show', id, '--json'])).stdout);
      expect(json.attempts).toEqual([expect.objectContaining({ durationMs: 42, providerStatus: 400 })]);
      const missing = await cli(['deliveries', 'show', '987654321']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('Not found (404)');
    });
  });

  describe('keys', () => {
    it('should create, list, rotate and revoke a key', async () => {
      const name = `${receiver}-key`;
      const created = await cli(['keys', 'create', '--name', name, '--scope', 'deliveries:read', 'audit:read', '--json']);
      expect(created.code).toBe(0);
      const key = JSON.parse(created.stdout);
      expect(key).toMatchObject({ name, scopes: ['deliveries:read', 'audit:read'], key: expect.stringMatching(/^tocsin_/) });

      const listed = await cli(['keys', 'list']);
      expect(listed.stdout).toContain(name);
      expect(listed.stdout).not.toContain(key.key);
      expect(JSON.parse((await cli(['keys', 'list', '--json'])).stdout).items).toContainEqual(expect.objectContaining({ id: key.id, name }));

      const rotated = await cli(['keys', 'rotate', key.id]);
      expect(rotated.code).toBe(0);
      const newSecret = rotated.stdout.trim().split('\n').pop() as string;
      expect(newSecret).toMatch(/^tocsin_/);
      expect(newSecret).not.toBe(key.key);
      // The rotated key works with the CLI (its read scope is enough for verify).
      expect((await cli(['audit', 'verify'], { TOCSIN_TOKEN: newSecret })).code).toBe(0);

      expect(await cli(['keys', 'revoke', key.id])).toMatchObject({ code: 0, stdout: `key ${key.id} revoked\n` });
      const after = await cli(['audit', 'verify'], { TOCSIN_TOKEN: newSecret });
      expect(after.code).toBe(1);
      expect(after.stderr).toContain('(401)');
      expect(after.stderr).toContain('what to do: TOCSIN_TOKEN is unknown');
    });

    it('should say what to do when the key lacks the scope (exit 1)', async () => {
      const reader = await api(app, 'POST', '/api/v1/keys', { name: `${receiver}-reader`, scopes: ['deliveries:read'] });
      const res = await cli(['keys', 'list'], { TOCSIN_TOKEN: reader.body.key });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('(403)');
      expect(res.stderr).toContain('what to do: this key lacks the scope');
    });
  });

  describe('silences', () => {
    it('should add, list and expire a silence', async () => {
      const value = `cli-${randomUUID()}`;
      const added = await cli(['silences', 'add', `service=${value}`, 'severity=~"crit.*"', '--duration', '2h', '--comment', 'disk swap', '--author', 'oncall', '--json']);
      expect(added.code).toBe(0);
      const { id } = JSON.parse(added.stdout);
      expect(id).toEqual(expect.any(String));

      const listed = JSON.parse((await cli(['silences', 'list', '--json'])).stdout);
      const mine = listed.items.find((s: { id: string }) => s.id === id);
      expect(mine).toMatchObject({
        createdBy: 'oncall',
        comment: 'disk swap',
        status: { state: 'active' },
        matchers: expect.arrayContaining([
          { name: 'service', value, isRegex: false, isEqual: true },
          { name: 'severity', value: 'crit.*', isRegex: true, isEqual: true },
        ]),
      });
      expect((await cli(['silences', 'list'])).stdout).toContain(id);

      expect(await cli(['silences', 'expire', id])).toMatchObject({ code: 0, stdout: `silence ${id} expired\n` });
      const again = JSON.parse((await cli(['silences', 'list', '--json'])).stdout);
      expect(again.items.find((s: { id: string }) => s.id === id)?.status.state).toBe('expired');
    });

    it('should reject a matcher it cannot parse as a usage error (exit 2)', async () => {
      expect((await cli(['silences', 'add', 'service=~"(unclosed"', '--comment', 'x'])).code).toBe(2);
    });
  });

  describe('audit', () => {
    it('verify: should report an intact chain (exit 0) and the API JSON', async () => {
      const human = await cli(['audit', 'verify']);
      expect(human).toMatchObject({ code: 0 });
      expect(human.stdout).toMatch(/^audit log intact: \d+ entries checked\n$/);
      expect(JSON.parse((await cli(['audit', 'verify', '--json'])).stdout)).toMatchObject({ ok: true, firstBadId: null });
    });

    it('verify: should exit 1 naming the changed entry', async () => {
      const { rows } = await db.query(`SELECT a.id::text, target FROM audit_log a ORDER BY a.id DESC LIMIT 1 OFFSET 1`);
      const [{ id, target }] = rows;
      try {
        await db.query(`UPDATE audit_log SET target = 'key:forged' WHERE id = $1`, [id]);
        const res = await cli(['audit', 'verify']);
        expect(res.code).toBe(1);
        expect(res.stdout).toContain(`audit log BROKEN at entry ${id}`);
      } finally {
        await db.query(`UPDATE audit_log SET target = $2 WHERE id = $1`, [id, target]);
      }
    });

    it('export: should write CSV to a file and to standard output', async () => {
      await insertPoison(app, [{ receiver }]).then(([id]) => cli(['poison', 'replay', id, '--reason', 'for the export test']));
      const dir = mkdtempSync(join(tmpdir(), 'tocsin-cli-'));
      const res = await cli(['audit', 'export', '--action', 'delivery.replay', '--actor', 'bootstrap', '-o', join(dir, 'out.csv')]);
      expect(res.code).toBe(0);
      const records: string[][] = parse(readFileSync(join(dir, 'out.csv'), 'utf8'));
      expect(records[0]).toEqual(['id', 'at', 'actor_key_id', 'actor_key_name', 'action', 'target', 'request_id', 'details', 'hash']);
      expect(records.length).toBeGreaterThan(1);
      expect(records.slice(1).every((r) => r[4] === 'delivery.replay')).toBe(true);
      const out = await cli(['audit', 'export', '--action', 'delivery.replay']);
      expect(parse(out.stdout)).toEqual(parse(readFileSync(join(dir, 'out.csv'), 'utf8')));
    });
  });

  describe('setup and usage', () => {
    it('should exit 2 with what to do when TOCSIN_TOKEN is missing', async () => {
      const res = await cli(['poison', 'list'], { TOCSIN_TOKEN: undefined });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('TOCSIN_TOKEN is not set');
      expect(res.stderr).toContain('what to do: export TOCSIN_TOKEN=');
    });

    it('should exit 1 when the service cannot be reached', async () => {
      const res = await cli(['poison', 'list'], { TOCSIN_URL: 'http://127.0.0.1:9' });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('cannot reach Tocsin at http://127.0.0.1:9');
    });

    it.each([
      ['poison', 'list'],
      ['poison', 'replay'],
      ['poison', 'discard'],
      ['deliveries', 'show'],
      ['keys', 'create'],
      ['keys', 'list'],
      ['keys', 'rotate'],
      ['keys', 'revoke'],
      ['silences', 'add'],
      ['silences', 'list'],
      ['silences', 'expire'],
      ['audit', 'verify'],
      ['audit', 'export'],
    ])('%s %s --help should show an example and exit 0', async (group, command) => {
      const res = await cli([group, command, '--help']);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(`Usage: tocsin ${group} ${command}`);
      expect(res.stdout).toMatch(new RegExp(`Examples?:\\n  \\$ tocsin ${group} ${command}`));
    });

    it('should exit 2 for an unknown option', async () => {
      expect((await cli(['poison', 'list', '--colour'])).code).toBe(2);
    });
  });

  describe('bin/tocsin.js (built with npm run build)', () => {
    const bin = resolve('bin/tocsin.js');

    it('should run as a process: --json output, exit codes 0, 1 and 2', async () => {
      if (!existsSync(resolve('dist/src/cli/poison.command.js'))) throw new Error('dist/ is stale: run `npm run build` before this test');
      const [id] = await insertPoison(app, [{ receiver }]);
      const run = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> => {
        try {
          const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
            env: { PATH: process.env.PATH, TOCSIN_URL: app.url, TOCSIN_TOKEN: TEST_ADMIN_TOKEN, ...env },
          });
          return { code: 0, stdout, stderr };
        } catch (err) {
          const e = err as { code: number; stdout: string; stderr: string };
          return { code: e.code, stdout: e.stdout, stderr: e.stderr };
        }
      };
      const shown = await run(['deliveries', 'show', id, '--json']);
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout)).toMatchObject({ id, status: 'poison', attempts: [] });
      const replayed = await run(['poison', 'replay', id, '--json']);
      expect(JSON.parse(replayed.stdout)).toMatchObject({ id, status: 'pending', retryCount: 0 });
      const again = await run(['poison', 'replay', id]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('Conflict (409)');
      expect((await run(['poison', 'list'], { TOCSIN_TOKEN: '' })).code).toBe(2);
    });
  });
});
