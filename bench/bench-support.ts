import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

/** The repository root (bench files run from dist/bench/). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A new, empty database on `server` (a postgres:// URL), with a function that drops it. */
export async function createDatabaseOn(server: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
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

/** A fresh database for one benchmark on BENCH_PG (default: the local server). */
export function createBenchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  return createDatabaseOn(process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres', prefix);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function writeTempConfig(yaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tocsin-bench-')), 'tocsin.yml');
  writeFileSync(path, yaml);
  return path;
}

export async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Tocsin at ${url} was not ready within ${timeoutMs} ms`);
}

/** The value after `--<name>` on the command line, or `fallback` when absent or empty. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * `node` arguments that run the service's dist entry (what bin/start.js runs once a build is
 * there, without its check for the web console's build: a benchmark needs only `dist/`).
 */
export function tocsinEntryArgs(): string[] {
  const entry = pathToFileURL(join(ROOT, 'dist', 'src', 'main.js')).href;
  return ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(entry)}); await main();`];
}

export interface CpuSample {
  busy: number;
  total: number;
}

/** The machine's aggregate CPU counters (first line of /proc/stat), in jiffies. */
export function cpuSample(): CpuSample {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Whole-machine busy percentage between two samples (0 when no time passed). */
export function cpuPercent(from: CpuSample, to: CpuSample): number {
  const total = to.total - from.total;
  return total > 0 ? (100 * (to.busy - from.busy)) / total : 0;
}

/** Nearest-rank percentile `p` (0–100) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface OpenLoopResult {
  /** Date.now() when the load started. */
  started: number;
  posted: number;
  accepted: number;
  failed: number;
}

/**
 * Open loop: every `tickMs` sends the alerts due by now at `rate`/s, measured from the start (no
 * catch-up skew), whether or not earlier sends have answered, until `rate * seconds` are sent;
 * then waits for every send. `send(from, count)` resolving counts `count` accepted, rejecting failed.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  tickMs: number,
  send: (from: number, count: number) => Promise<unknown>,
): Promise<OpenLoopResult> {
  const started = Date.now();
  const total = Math.round(rate * seconds);
  let posted = 0;
  let accepted = 0;
  let failed = 0;
  const inFlight: Array<Promise<void>> = [];
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.round(((Date.now() - started) / 1000) * rate));
      const count = due - posted;
      if (count > 0) {
        const from = posted;
        posted = due;
        inFlight.push(
          send(from, count).then(
            () => void (accepted += count),
            () => void (failed += count),
          ),
        );
      }
      if (posted >= total) {
        clearInterval(timer);
        done();
      }
    }, tickMs);
  });
  await Promise.all(inFlight);
  return { started, posted, accepted, failed };
}

export interface WebhookSinkOptions {
  /** Count only alerts whose status is `firing` (resolved notifications ignored). */
  firingOnly?: boolean;
  /** Record a latency for the first arrival of each alert only (else for every arrival). */
  firstArrivalLatencyOnly?: boolean;
  /** The HTTP server's keep-alive timeout; Node's default when unset. */
  keepAliveTimeoutMs?: number;
}

interface WebhookPayload {
  alerts: Array<{ status?: string; labels: Record<string, string>; annotations: Record<string, string> }>;
}

/**
 * A local webhook receiver for bench alerts (`alertname` `<step>-<n>`, label `bench_step`,
 * annotation `sent_at_ms`): arrivals per alertname, distinct arrivals and latencies per step.
 */
export class WebhookSink {
  readonly latencies = new Map<string, number[]>();
  readonly arrivals = new Map<string, number>();
  lastArrival = 0;
  private readonly uniquePerStep = new Map<string, number>();
  private server: Server | null = null;

  constructor(private readonly options: WebhookSinkOptions = {}) {}

  /** Listens on 127.0.0.1 and answers its base URL. */
  async start(): Promise<string> {
    this.server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const now = Date.now();
        try {
          this.record(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload, now);
          this.lastArrival = now;
        } catch {
          // not a webhook payload: ignored
        }
        res.writeHead(200).end();
      });
    });
    if (this.options.keepAliveTimeoutMs !== undefined) this.server.keepAliveTimeout = this.options.keepAliveTimeoutMs;
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  private record(payload: WebhookPayload, now: number): void {
    for (const a of payload.alerts) {
      if (this.options.firingOnly && a.status !== 'firing') continue;
      const name = a.labels.alertname;
      const step = a.labels.bench_step;
      const seen = this.arrivals.get(name) ?? 0;
      this.arrivals.set(name, seen + 1);
      if (!step) continue;
      if (seen === 0) this.uniquePerStep.set(step, (this.uniquePerStep.get(step) ?? 0) + 1);
      const sent = Number(a.annotations.sent_at_ms);
      if (Number.isFinite(sent) && (seen === 0 || !this.options.firstArrivalLatencyOnly)) {
        const list = this.latencies.get(step) ?? [];
        list.push(now - sent);
        this.latencies.set(step, list);
      }
    }
  }

  /** Distinct alerts of `step` arrived. */
  unique(step: string): number {
    return this.uniquePerStep.get(step) ?? 0;
  }

  /** Arrivals of `step`'s alerts beyond the first of each. */
  duplicates(step: string): number {
    let n = 0;
    for (const [name, count] of this.arrivals) if (name.startsWith(`${step}-`)) n += count - 1;
    return n;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((done) => this.server?.close(() => done()));
  }
}
