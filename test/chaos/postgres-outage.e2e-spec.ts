/**
 * PostgreSQL stopped for 20 s while alerts keep arriving, on a server this test starts for
 * itself (Tocsin's embedded PostgreSQL on its own port and data folder, never the shared one). While the
 * database is down ingest answers 503 problem+json (Prometheus and Alertmanager retry 5xx),
 * never 500; every alert that got a 2xx is in the `alerts` table afterwards and reaches the
 * webhook sink; the service recovers by itself (readyz back to 200, posts 2xx again).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { startWebhookSinkDouble, type WebhookSinkDouble, type WebhookV4Payload } from '../doubles/webhook-sink.double.js';
import { startTestApp, type TestApp } from '../setup/app.js';
import { freePort, waitFor } from '../setup/process.js';

const OUTAGE_MS = 20_000;
const POSTS_PER_SECOND = 20;

enum Route {
  V2 = '/api/v2/alerts',
  V1 = '/api/v1/alerts',
  Webhook = '/api/v1/webhooks/alertmanager',
}
const ROUTES = [Route.V2, Route.V1, Route.Webhook];

enum Phase {
  Before = 'before',
  Down = 'down',
  After = 'after',
}

interface Post {
  alertname: string;
  route: Route;
  phase: Phase;
  status: number;
  contentType: string;
  body: string;
}

function bodyFor(route: Route, alertname: string): unknown {
  const alert = { labels: { alertname, chaos: 'pg-outage' }, annotations: { summary: 'posted during the postgres outage test' } };
  if (route === Route.Webhook) return { version: '4', status: 'firing', receiver: 'upstream', alerts: [{ status: 'firing', ...alert }] };
  return [alert];
}

describe('PostgreSQL outage during ingest', () => {
  let dir: string;
  let server: EmbeddedDatabase | null = null;
  let serverEnv: NodeJS.ProcessEnv;
  /** The same launcher `npm start` uses (as root it also finds a place the postgres user can run the binaries from). */
  const startServer = async (): Promise<void> => {
    server = await startEmbeddedPostgres(pino({ level: 'silent' }), serverEnv);
  };
  let url: string;
  let sink: WebhookSinkDouble;
  let app: TestApp | null = null;

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/tocsin-pg-outage-');
    chmodSync(dir, 0o755);
    const port = await freePort();
    serverEnv = { ...process.env, TOCSIN_DATA_DIR: join(dir, 'data'), TOCSIN_EMBEDDED_PG_PORT: String(port) };
    await startServer();
    url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    sink = await startWebhookSinkDouble();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await sink?.close();
    await server?.stop().catch(() => undefined);
    server = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('should answer 503 while the database is down, lose nothing that got a 2xx, and recover without a restart', async () => {
    const started = Date.now();
    const receiver = 'pg-outage-sink';
    app = await startTestApp({
      env: { DATABASE_URL: url, TOCSIN_DELIVERY_POLL_MS: '500', TOCSIN_SLO: '0' },
      configYaml: `
route:
  receiver: ${receiver}
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1h
  repeat_interval: 24h
delivery:
  max_attempts: 50
  initial_backoff: 100ms
  max_backoff: 1s
  attempt_timeout: 2s
receivers:
  - name: ${receiver}
    webhook_configs: [{ url: "${sink.url}/pg-outage" }]
`,
    });
    const base = app.url;
    const headers = { ...app.admin, 'content-type': 'application/json' };

    const posts: Post[] = [];
    let phase = Phase.Before;
    let seq = 0;
    let posting = true;
    const inFlight = new Set<Promise<void>>();
    const postOne = async (): Promise<void> => {
      const n = seq++;
      const route = ROUTES[n % ROUTES.length];
      const alertname = `pg-outage-${n}`;
      const at = phase;
      try {
        const res = await fetch(`${base}${route}`, { method: 'POST', headers, body: JSON.stringify(bodyFor(route, alertname)), signal: AbortSignal.timeout(15_000) });
        const body = await res.text();
        // Down only when sent and answered while the server was stopped.
        posts.push({ alertname, route, phase: at === phase ? at : Phase.After, status: res.status, contentType: res.headers.get('content-type') ?? '', body });
      } catch (err) {
        posts.push({ alertname, route, phase: at, status: 0, contentType: '', body: String(err) });
      }
    };
    // A steady sender: one new alert every 1/20 s, whatever the replies.
    const sender = (async () => {
      while (posting) {
        const p = postOne();
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
        await new Promise((r) => setTimeout(r, 1000 / POSTS_PER_SECOND));
      }
      await Promise.all([...inFlight]);
    })();

    await waitFor(() => posts.filter((p) => p.status >= 200 && p.status < 300).length >= 40, 20_000, '40 alerts accepted before the outage');
    await server?.stop();
    server = null;
    phase = Phase.Down;
    const downSince = Date.now();
    const readyDuring: { status: number; body: string }[] = [];
    await waitFor(
      async () => {
        const res = await fetch(`${base}/readyz`);
        readyDuring.push({ status: res.status, body: await res.text() });
        return Date.now() - downSince >= OUTAGE_MS;
      },
      OUTAGE_MS + 10_000,
      'the outage to last 20 s',
    );
    // From here the server may answer at any moment: replies are no longer "while down".
    phase = Phase.After;
    await startServer();
    const upAt = Date.now();
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, 30_000, 'readyz 200 after the database returned');
    const readyAfterMs = Date.now() - upAt;
    const countAtUp = posts.length;
    await waitFor(() => posts.slice(countAtUp).filter((p) => p.status >= 200 && p.status < 300).length >= 40, 30_000, '40 alerts accepted after the outage');
    posting = false;
    await sender;

    // While it was down: only 503 problem+json, and the readiness probe said why.
    const down = posts.filter((p) => p.phase === Phase.Down);
    expect(down.length).toBeGreaterThan(OUTAGE_MS / 1000 * POSTS_PER_SECOND * 0.5);
    const downStatuses = [...new Set(down.map((p) => p.status))];
    expect(downStatuses).toEqual([503]);
    for (const p of down) {
      expect(p.contentType).toContain('application/problem+json');
      expect(JSON.parse(p.body)).toMatchObject({ status: 503, type: expect.stringContaining('unavailable') });
    }
    expect(readyDuring.some((r) => r.status === 503 && r.body.includes('database'))).toBe(true);
    // Around the stop and the start, too, no answer is a 500 (nor a dropped connection).
    expect(posts.filter((p) => p.status === 0 || p.status >= 500 && p.status !== 503).map((p) => `${p.route} ${p.status} ${p.body.slice(0, 200)}`)).toEqual([]);

    // Recovered by itself: new posts accepted again on every route.
    const after = posts.slice(countAtUp);
    for (const route of ROUTES) expect(after.some((p) => p.route === route && p.status >= 200 && p.status < 300)).toBe(true);
    expect(readyAfterMs).toBeLessThan(15_000);

    // Nothing that got a 2xx is lost: stored, and delivered to the sink.
    const accepted = posts.filter((p) => p.status >= 200 && p.status < 300).map((p) => p.alertname);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(`SELECT labels->>'alertname' AS name FROM alerts WHERE labels->>'chaos' = 'pg-outage'`);
      const stored = new Set(rows.map((r) => r.name));
      expect(accepted.filter((a) => !stored.has(a))).toEqual([]);
    } finally {
      await client.end();
    }
    const arrived = (): Set<string> =>
      new Set(sink.requests.flatMap((r) => ((r.json as WebhookV4Payload | undefined)?.alerts ?? []).map((a) => a.labels.alertname)));
    await waitFor(() => accepted.every((a) => arrived().has(a)), 30_000, `all ${accepted.length} accepted alerts at the sink`).catch((err: Error) => {
      throw new Error(`${err.message}; missing: ${accepted.filter((a) => !arrived().has(a)).slice(0, 20).join(', ')}`);
    });
    expect(Date.now() - started).toBeLessThan(90_000);
  }, 120_000);
});
