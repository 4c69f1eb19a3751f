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
import { appendFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpuPercent, cpuSample, createBenchDatabase, freePort, openLoop, option, percentile, ROOT, tocsinEntryArgs, WebhookSink } from './bench-support.js';

const TOKEN = 'tocsin_bench_admin_token_delivery_00000000';
const TICK_MS = 50;
const DRAIN_TIMEOUT_MS = 180_000;

const seconds = Number(option('seconds', '10'));
const profileDir = option('profile', '');
const rates = option('rates', '100,500,1000,2000')
  .split(',')
  .map((r) => Number(r.trim()))
  .filter((r) => r > 0);

/** DATABASE_URL when set (kept), else a fresh database on BENCH_PG (dropped afterwards). */
async function database(): Promise<{ url: string; drop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, drop: async () => undefined };
  return createBenchDatabase('tocsin_bench_delivery');
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

async function runStep(url: string, sink: WebhookSink, rate: number): Promise<StepResult> {
  const step = `bench${rate}x${randomBytes(2).toString('hex')}`;
  const cpuStart = cpuSample();
  const { started, posted, accepted, failed: postErrors } = await openLoop(rate, seconds, TICK_MS, (from, count) =>
    postBatch(url, step, from, count),
  );
  const ingestDone = Date.now();
  const drainDeadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (sink.unique(step) < accepted && Date.now() < drainDeadline) await new Promise((r) => setTimeout(r, 100));
  const lastArrival = sink.lastArrival;
  const cpuEnd = cpuSample();
  const latencies = [...(sink.latencies.get(step) ?? [])].sort((a, b) => a - b);
  const delivered = sink.unique(step);
  return {
    target: rate,
    posted,
    accepted,
    postErrors,
    ingestRate: accepted / ((ingestDone - started) / 1000),
    deliveredRate: delivered / ((lastArrival - started) / 1000),
    delivered,
    duplicates: sink.duplicates(step),
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
  const sink = new WebhookSink();
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
  const profileArgs = profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--import', pathToFileURL(join(ROOT, 'bench', 'tools', 'count-queries.mjs')).href]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...profileArgs, ...tocsinEntryArgs()], {
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
