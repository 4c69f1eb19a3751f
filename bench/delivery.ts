/**
 * End-to-end delivery benchmark: alerts posted to `POST /api/v1/alerts` of the built service
 * (one alert per group, `group_wait: 0s`) until their webhook notification reaches a local sink.
 *
 *   npm run build && npm run bench -- delivery [--seconds 10] [--rates 100,500,1000,2000]
 *     [--profile <dir>]   the service runs under `node --cpu-prof` into <dir> and counts its
 *                         SQL statements (bench/tools/count-queries.mjs) into <dir>/queries.json
 *
 * Open loop: every 50 ms a timer posts the alerts due in that tick, whether or not earlier posts
 * have answered. Each alert carries its send time in an annotation; the sink reads it on arrival,
 * so latency is POST → webhook arrival (ingest, commit, claim, send). After each rate the run
 * waits for the stragglers before the next. Machine CPU comes from /proc/stat over each step.
 * The database is DATABASE_URL when set, else a fresh one on BENCH_PG
 * (default postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOKEN = 'tocsin_bench_admin_token_delivery_00000000';
const TICK_MS = 50;
const DRAIN_TIMEOUT_MS = 180_000;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const seconds = Number(option('seconds', '10'));
const profileDir = option('profile', '');
const rates = option('rates', '100,500,1000,2000')
  .split(',')
  .map((r) => Number(r.trim()))
  .filter((r) => r > 0);

interface CpuSample {
  busy: number;
  total: number;
}

/** The machine's aggregate CPU counters (first line of /proc/stat), in jiffies. */
function cpuSample(): CpuSample {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

function cpuPercent(from: CpuSample, to: CpuSample): number {
  const total = to.total - from.total;
  return total > 0 ? (100 * (to.busy - from.busy)) / total : 0;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function database(): Promise<{ url: string; drop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, drop: async () => undefined };
  const server = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `tocsin_bench_delivery_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** What the sink saw of one step: arrival latencies and arrivals per alertname. */
class Sink {
  readonly latencies = new Map<string, number[]>();
  readonly arrivals = new Map<string, number>();
  lastArrival = 0;
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const now = Date.now();
        try {
          const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }>;
          };
          for (const a of payload.alerts) {
            const name = a.labels.alertname;
            const step = a.labels.bench_step;
            this.arrivals.set(name, (this.arrivals.get(name) ?? 0) + 1);
            const sent = Number(a.annotations.sent_at_ms);
            if (step && Number.isFinite(sent)) {
              const list = this.latencies.get(step) ?? [];
              list.push(now - sent);
              this.latencies.set(step, list);
            }
          }
          this.lastArrival = now;
        } catch {
          // not a webhook payload: ignored
        }
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  uniqueFor(step: string): number {
    let n = 0;
    for (const name of this.arrivals.keys()) if (name.startsWith(`${step}-`)) n++;
    return n;
  }

  duplicatesFor(step: string): number {
    let n = 0;
    for (const [name, count] of this.arrivals) if (name.startsWith(`${step}-`)) n += count - 1;
    return n;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((done) => this.server?.close(() => done()));
  }
}

interface StepResult {
  target: number;
  posted: number;
  accepted: number;
  postErrors: number;
  ingestRate: number;
  deliveredRate: number;
  delivered: number;
  duplicates: number;
  p50: number;
  p95: number;
  p99: number;
  drainMs: number;
  cpu: number;
}

async function postBatch(url: string, step: string, from: number, count: number): Promise<number> {
  const sentAt = Date.now();
  const alerts = [];
  for (let i = from; i < from + count; i++) {
    alerts.push({ labels: { alertname: `${step}-${i}`, bench_step: step }, annotations: { sent_at_ms: String(sentAt) } });
  }
  const res = await fetch(`${url}/api/v1/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  await res.arrayBuffer();
  if (res.status !== 202) throw new Error(`POST /api/v1/alerts answered ${res.status}`);
  return count;
}

async function runStep(url: string, sink: Sink, rate: number): Promise<StepResult> {
  const step = `bench${rate}x${randomBytes(2).toString('hex')}`;
  const cpuStart = cpuSample();
  const started = Date.now();
  const total = Math.round(rate * seconds);
  let posted = 0;
  let accepted = 0;
  let postErrors = 0;
  const inFlight: Array<Promise<void>> = [];
  // Open loop: each tick posts what is due by now, measured from the start (no catch-up skew).
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.round(((Date.now() - started) / 1000) * rate));
      const count = due - posted;
      if (count > 0) {
        const from = posted;
        posted = due;
        inFlight.push(
          postBatch(url, step, from, count).then(
            (n) => void (accepted += n),
            () => void (postErrors += count),
          ),
        );
      }
      if (posted >= total) {
        clearInterval(timer);
        done();
      }
    }, TICK_MS);
  });
  await Promise.all(inFlight);
  const ingestDone = Date.now();
  const drainDeadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (sink.uniqueFor(step) < accepted && Date.now() < drainDeadline) await new Promise((r) => setTimeout(r, 100));
  const lastArrival = sink.lastArrival;
  const cpuEnd = cpuSample();
  const latencies = [...(sink.latencies.get(step) ?? [])].sort((a, b) => a - b);
  const delivered = sink.uniqueFor(step);
  return {
    target: rate,
    posted,
    accepted,
    postErrors,
    ingestRate: accepted / ((ingestDone - started) / 1000),
    deliveredRate: delivered / ((lastArrival - started) / 1000),
    delivered,
    duplicates: sink.duplicatesFor(step),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    drainMs: Math.max(0, lastArrival - ingestDone),
    cpu: cpuPercent(cpuStart, cpuEnd),
  };
}

function table(rows: readonly StepResult[]): string {
  const ms = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : '—');
  return [
    '| target alerts/s | accepted | ingest alerts/s | delivered | delivered alerts/s | duplicates | p50 ms | p95 ms | p99 ms | drain after last POST ms | machine CPU % |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.target} | ${r.accepted}${r.postErrors ? ` (+${r.postErrors} failed)` : ''} | ${Math.round(r.ingestRate)} | ${r.delivered} | ${Math.round(r.deliveredRate)} | ${r.duplicates} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.drainMs)} | ${Math.round(r.cpu)} |`,
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
  const db = await database();
  const sink = new Sink();
  const sinkUrl = await sink.start();
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-bench-delivery-'));
  const configPath = join(dir, 'tocsin.yml');
  writeFileSync(
    configPath,
    `route:
  receiver: bench-hook
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1h
  repeat_interval: 24h
channels:
  webhook:
    rate_limit: { rate: 1000000, per: 1s, burst: 1000000 }
receivers:
  - name: bench-hook
    webhook_configs: [{ url: "${sinkUrl}/bench" }]
`,
  );
  const port = await freePort();
  let stderr = '';
  // What bin/start.js runs once a build is there, without its check for the web console's build
  // (the benchmark needs only the service build that `npm run build` puts in dist/).
  const entry = pathToFileURL(join(ROOT, 'dist', 'src', 'main.js')).href;
  const launcher = `const { main } = await import(${JSON.stringify(entry)}); await main();`;
  const profileArgs = profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--import', pathToFileURL(join(ROOT, 'bench', 'tools', 'count-queries.mjs')).href]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...profileArgs, '--input-type=module', '-e', launcher], {
    cwd: ROOT,
    env: { ...process.env, ...(profileDir ? { TOCSIN_QUERY_COUNT_FILE: join(profileDir, 'queries.json') } : {}), DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', TOCSIN_ADMIN_TOKEN: TOKEN, TOCSIN_CONFIG: configPath, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`Tocsin exited before it was ready:\n${stderr}`);
      const ok = await fetch(`${url}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`Tocsin was not ready within 60 s:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const rows: StepResult[] = [];
    for (const rate of rates) {
      const row = await runStep(url, sink, rate);
      rows.push(row);
      process.stdout.write(`${rate}/s: delivered ${row.delivered}/${row.accepted}, p95 ${Math.round(row.p95)} ms\n`);
    }
    const command = ['npm run bench -- delivery', ...process.argv.slice(2)].join(' ');
    const cpu = cpus();
    const report = [
      '',
      `## Delivery, end to end — ${new Date().toISOString()}`,
      '',
      `Command: \`${command}\` (after \`npm run build\`)`,
      `Machine: nproc ${cpu.length} (${cpu[0]?.model ?? 'unknown CPU'}), Node ${process.version}; PostgreSQL ${db.url.includes('127.0.0.1') ? 'on 127.0.0.1' : 'from DATABASE_URL'}; one Tocsin process (default TOCSIN_DELIVERY_CONCURRENCY 32), sink and load generator on the same machine; load average before the run: ${loadBefore}.`,
      `Open loop for ${seconds} s per rate, one alert per group (\`group_wait: 0s\`), batches posted every ${TICK_MS} ms to \`POST /api/v1/alerts\`; latency = POST sent → webhook arrival at the sink; delivered alerts/s = distinct alerts arrived / (last arrival − step start); machine CPU from /proc/stat over the step and its drain.`,
      '',
      table(rows),
      '',
    ].join('\n');
    process.stdout.write(report + '\n');
    const file = join(ROOT, 'BENCHMARKS.md');
    if (!existsSync(file)) writeFileSync(file, '# Tocsin benchmarks\n\nFigures appended by `npm run bench -- <name>`; each section names its command and machine.\n');
    if (profileDir) process.stdout.write(`profiled run: not appended to BENCHMARKS.md (profile and query counts in ${profileDir})\n`);
    else appendFileSync(file, report);
  } finally {
    child.kill('SIGTERM');
    await exited;
    await sink.close();
    await db.drop();
  }
}

await main();
