import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { startTestApp, type TestApp } from '../../setup/app.js';

const GOOD = `
route:
  receiver: first
receivers:
  - name: first
    log_configs: [{}]
`;
const GOOD_2 = GOOD.replace(/first/g, 'second');
const BAD = `
route:
  receiver: nowhere
receivers:
  - name: first
    log_configs: [{}]
    opsgenie_configs: [{ api_key: x }]
`;

async function lastReloadAudit(): Promise<{ actor_key_name: string; details: { ok: boolean; trigger: string } }> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query(`SELECT actor_key_name, details FROM audit_log WHERE action = 'config.reload' ORDER BY id DESC LIMIT 1`);
  await client.end();
  return rows[0] as { actor_key_name: string; details: { ok: boolean; trigger: string } };
}

describe('POST /-/reload', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ configYaml: GOOD, env: { TOCSIN_WORKERS: '0' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('should refuse an invalid file with every error and keep the running config', async () => {
    writeFileSync(app.configPath!, BAD);
    const res = await fetch(`${app.url}/-/reload`, { method: 'POST' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string; message: string }[] };
    const paths = body.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['route.receiver', 'receivers[0].opsgenie_configs']));
    expect(await lastReloadAudit()).toMatchObject({ actor_key_name: 'system', details: { ok: false, trigger: 'http' } });
  });

  it('should run a valid file and audit the reload', async () => {
    writeFileSync(app.configPath!, GOOD_2);
    const res = await fetch(`${app.url}/-/reload`, { method: 'POST', headers: app.admin });
    expect(res.status).toBe(200);
    expect(await lastReloadAudit()).toMatchObject({ actor_key_name: 'bootstrap', details: { ok: true } });
  });
});
