import { Redis } from 'ioredis';
import type pg from 'pg';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { psql, resetSloState, until } from './slo-helpers.js';

interface HeartbeatItem {
  name: string;
  source: string;
  lastBeatAt: string | null;
  lastState: string | null;
  stalenessSeconds: number | null;
  maxStalenessSeconds: number;
  state: string;
  since: string;
  history?: { at: string; state: string | null }[];
}

const BASE = `
route: { receiver: default-log }
receivers:
  - name: default-log
    log_configs: [{}]
slo: { interval: 1s }
`;

async function list(app: TestApp): Promise<HeartbeatItem[]> {
  const res = await fetch(`${app.url}/api/v1/heartbeats`, { headers: app.admin });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: HeartbeatItem[] }).items;
}

function put(app: TestApp, name: string, body: unknown, headers = app.admin): Promise<Response> {
  return fetch(`${app.url}/api/v1/heartbeats/${name}`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('heartbeats API', () => {
  let app: TestApp;
  let db: pg.Client;

  beforeAll(async () => {
    db = await psql();
    await resetSloState(db);
    app = await startTestApp({ env: { TOCSIN_SLO: '1' }, configYaml: `${BASE}
heartbeats:
  - { name: circuit-breaker, max_staleness: 10s, target: 5s, severity: critical }
  - { name: nightly-export, max_staleness: 1s, target: 500ms, severity: warning }
`,
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.end();
  });

  describe('PUT /api/v1/heartbeats/{name}', () => {
    it('should answer 404 for a name not in the config', async () => {
      const res = await put(app, 'no-such-heartbeat', {});
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });

    it('should record a beat at the given time with its state and answer the heartbeat', async () => {
      const at = new Date(Date.now() - 2000).toISOString();
      const res = await put(app, 'circuit-breaker', { at, state: 'OPEN' });
      expect(res.status).toBe(200);
      const body = (await res.json()) as HeartbeatItem;
      expect(body).toMatchObject({ name: 'circuit-breaker', source: 'api', lastBeatAt: at, lastState: 'OPEN', state: 'ok', maxStalenessSeconds: 10 });
      expect(body.stalenessSeconds).toBeGreaterThanOrEqual(2);
    });

    it('should refuse a time that is not RFC 3339 with the field named', async () => {
      const res = await put(app, 'circuit-breaker', { at: 'yesterday' });
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { errors: { path: string }[] };
      expect(problem.errors.map((e) => e.path)).toEqual(['at']);
    });

    it('should need alerts:write', async () => {
      const key = await fetch(`${app.url}/api/v1/keys`, {
        method: 'POST',
        headers: { ...app.admin, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `hb-reader-${Date.now()}`, scopes: ['alerts:read'] }),
      });
      const { key: token } = (await key.json()) as { key: string };
      expect((await put(app, 'circuit-breaker', {}, { authorization: `Bearer ${token}` })).status).toBe(403);
      expect((await fetch(`${app.url}/api/v1/heartbeats`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    });
  });

  describe('GET /api/v1/heartbeats', () => {
    it('should show a heartbeat that never beat as no_data for its max_staleness, then stale', async () => {
      const first = (await list(app)).find((h) => h.name === 'nightly-export');
      expect(first).toMatchObject({ lastBeatAt: null, stalenessSeconds: null, maxStalenessSeconds: 1 });
      const stale = await until(
        async () => (await list(app)).find((h) => h.name === 'nightly-export'),
        (h) => h?.state === 'stale',
        5000,
        'nightly-export to go stale',
      );
      expect(stale?.since).toBeDefined();
    });

    it('should list every configured heartbeat with the contract fields', async () => {
      const items = await list(app);
      expect(items.map((h) => h.name).sort()).toEqual(['circuit-breaker', 'nightly-export']);
      for (const h of items) {
        expect(Object.keys(h)).toEqual(
          expect.arrayContaining(['name', 'source', 'lastBeatAt', 'lastState', 'stalenessSeconds', 'maxStalenessSeconds', 'state', 'since']),
        );
      }
    });

    it('should show a heartbeat ok again after a beat, since that beat', async () => {
      await until(async () => (await list(app)).find((h) => h.name === 'nightly-export')?.state, (s) => s === 'stale', 5000, 'stale');
      const res = await put(app, 'nightly-export', {});
      const beat = (await res.json()) as HeartbeatItem;
      expect(beat.state).toBe('ok');
      expect(beat.since).toBe(beat.lastBeatAt);
    });
  });
  describe('GET /metrics', () => {
    it('should export cb_staleness_seconds, heartbeat_staleness_seconds and slo_breached', async () => {
      const beat = (await (await put(app, 'circuit-breaker', {})).json()) as HeartbeatItem;
      const text = await (await fetch(`${app.url}/metrics`)).text();
      const cb = Number(/^cb_staleness_seconds (\S+)$/m.exec(text)?.[1]);
      expect(cb).toBeGreaterThanOrEqual(0);
      expect(cb).toBeLessThan((Date.now() - Date.parse(beat.lastBeatAt as string)) / 1000 + 0.001);
      const nightly = Number(/^heartbeat_staleness_seconds\{heartbeat="nightly-export"\} (\S+)$/m.exec(text)?.[1]);
      expect(nightly).toBeGreaterThan(cb);
      expect(text).toMatch(/^heartbeat_staleness_seconds\{heartbeat="nightly-export"\} \S+$/m);
      expect(text).toMatch(/^slo_breached\{slo="poison_queue_size"\} 0$/m);
    });
  });
});

describe('heartbeats with source: redis', () => {
  const redisUrl = `redis://127.0.0.1:6379/${process.env.TOCSIN_TEST_REDIS_DB ?? '1'}`;
  let app: TestApp;
  let redis: Redis;
  let db: pg.Client;
  const saved = process.env.REDIS_URL;

  beforeAll(async () => {
    db = await psql();
    await resetSloState(db);
    redis = new Redis(redisUrl);
    await redis.del('circuit_breaker:state', 'circuit_breaker:history');
    process.env.REDIS_URL = redisUrl;
    app = await startTestApp({
      env: { REDIS_URL: redisUrl, TOCSIN_SLO: '1' },
      configYaml: `${BASE}
heartbeats:
  - { name: circuit-breaker, max_staleness: 10s, target: 5s, severity: critical, source: redis }
`,
    });
  });
  afterAll(async () => {
    await app?.close();
    await redis?.del('circuit_breaker:state', 'circuit_breaker:history');
    redis?.disconnect();
    await db?.end();
    if (saved === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = saved;
  });

  it('should read a JSON string with an RFC 3339 updated_at', async () => {
    const at = new Date(Date.now() - 3000);
    await redis.set('circuit_breaker:state', JSON.stringify({ state: 'OPEN', updated_at: at.toISOString() }));
    const [cb] = await list(app);
    expect(cb).toMatchObject({ name: 'circuit-breaker', source: 'redis', lastBeatAt: at.toISOString(), lastState: 'OPEN', state: 'ok' });
  });

  it('should read a hash with epoch seconds and list recent changes from the history set', async () => {
    const at = Math.floor(Date.now() / 1000) - 1;
    await redis.del('circuit_breaker:state');
    await redis.hset('circuit_breaker:state', { state: 'TRIPPED', updated_at: String(at) });
    await redis.zadd('circuit_breaker:history', at - 60, JSON.stringify({ state: 'OPEN' }), at, JSON.stringify({ state: 'TRIPPED' }));
    const [cb] = await list(app);
    expect(cb).toMatchObject({ lastBeatAt: new Date(at * 1000).toISOString(), lastState: 'TRIPPED', state: 'ok' });
    expect(cb.history).toEqual([
      { at: new Date(at * 1000).toISOString(), state: 'TRIPPED' },
      { at: new Date((at - 60) * 1000).toISOString(), state: 'OPEN' },
    ]);
  });

  it('should keep the newest beat when the Redis updated_at goes back in time', async () => {
    await redis.del('circuit_breaker:state');
    await redis.set('circuit_breaker:state', JSON.stringify({ state: 'OPEN', updated_at: (Date.now() + 60_000) / 1000 }));
    await redis.set('circuit_breaker:state', JSON.stringify({ state: 'OPEN', updated_at: new Date(Date.now() - 30_000).toISOString() }));
    const [cb] = await list(app);
    // The newer beat (from the first write) wins: Redis going back in time does not undo a beat.
    expect(cb.state).toBe('ok');
  });

  it('should accept a beat by PUT too', async () => {
    const res = await put(app, 'circuit-breaker', { state: 'OPEN' });
    expect(res.status).toBe(200);
  });
});
