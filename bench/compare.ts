/**
 * Tocsin and Alertmanager side by side, in the same run, on the same machine and the same sink:
 *
 *   npm run build && npm run bench -- compare [--seconds 10] [--rates 100,500,1000,1500,2000,3000]
 *     [--memory 1000,10000,100000] [--backlog 20000] [--concurrency N] [--no-append]
 *
 * 1. End to end: for each rate, an open-loop load (one alert per group, `group_wait: 0s`,
 *    batches every 50 ms to `POST /api/v2/alerts`) against Tocsin, then the same against
 *    Alertmanager (`/usr/bin/prometheus-alertmanager`, `group_interval: 1s`, webhook receiver to
 *    the same sink). Latency = POST sent → arrival at the sink. The highest rate with p99 ≤ 150 ms
 *    is each one's "max at p99 ≤ 150 ms" (at the granularity of the rates run).
 * 2. Claim rate: deliveries paused, `--backlog` alerts posted, resumed; deliveries/s until the
 *    sink has them all. Database: bytes of alert_deliveries + delivery_attempts per delivery
 *    (pg_total_relation_size after the run), extrapolated to a million.
 * 3. Memory: alerts posted to a receiver without integrations until 1k, 10k, 100k are active;
 *    VmRSS of each process (from /proc/<pid>/status) once the posts have been answered and 3 s
 *    passed.
 * Prints the tables and appends them to BENCHMARKS.md with the machine, versions and command.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { cpuPercent, cpuSample, createBenchDatabase, freePort, openLoop, option, percentile, ROOT, sleep, tocsinEntryArgs, WebhookSink } from './bench-support.js';

const TOKEN = 'tocsin_bench_admin_token_compare_0000000000';
const TICK_MS = 50;
const DRAIN_TIMEOUT_MS = 120_000;
const P99_GOAL_MS = 150;
const ALERTMANAGER = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';

const numbers = (s: string) =>
  s
    .split(',')
    .map((v) => Number(v.trim()))
    .filter((v) => v > 0);
const seconds = Number(option('seconds', '10'));
const rates = numbers(option('rates', '100,500,1000,1500,2000,3000'));
const memorySteps = numbers(option('memory', '1000,10000,100000'));
const backlog = Number(option('backlog', '20000'));
const concurrency = option('concurrency', '');

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

interface System {
  name: string;
  url: string;
  pid: number;
  headers: Record<string, string>;
  stop(): Promise<void>;
}

function routeYaml(sinkUrl: string, groupInterval: string): string {
  return `route:
  receiver: sink
  group_by: [alertname]
  group_wait: 0s
  group_interval: ${groupInterval}
  repeat_interval: 24h
  routes:
    - receiver: blackhole
      matchers: ['bench_mem="yes"']
receivers:
  - name: sink
    webhook_configs: [{ url: "${sinkUrl}/hook", send_resolved: false }]
  - name: blackhole
`;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms`);
    await sleep(200);
  }
}

async function startTocsin(dbUrl: string, sinkUrl: string): Promise<System> {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-compare-'));
  const configPath = join(dir, 'tocsin.yml');
  writeFileSync(
    configPath,
    routeYaml(sinkUrl, '1h') +
      `channels:
  webhook:
    rate_limit: { rate: 1000000, per: 1s, burst: 1000000 }
`,
  );
  const port = await freePort();
  const child = spawn(process.execPath, tocsinEntryArgs(), {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      TOCSIN_ADMIN_TOKEN: TOKEN,
      TOCSIN_CONFIG: configPath,
      LOG_LEVEL: 'warn',
      ...(concurrency ? { TOCSIN_DELIVERY_CONCURRENCY: concurrency } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await until('Tocsin', async () => (await fetch(`${url}/readyz`)).status === 200, 60_000);
  return { name: 'Tocsin', url, pid: child.pid ?? 0, headers: { authorization: `Bearer ${TOKEN}` }, stop: () => stopChild(child) };
}

async function startAlertmanager(sinkUrl: string): Promise<System> {
  const dir = mkdtempSync(join(tmpdir(), 'alertmanager-compare-'));
  const configPath = join(dir, 'alertmanager.yml');
  writeFileSync(configPath, routeYaml(sinkUrl, '1s'));
  const port = await freePort();
  const child = spawn(
    ALERTMANAGER,
    [`--config.file=${configPath}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  await until('Alertmanager', async () => (await fetch(`${url}/-/ready`)).status === 200, 30_000);
  return { name: 'Alertmanager', url, pid: child.pid ?? 0, headers: {}, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(30_000)]);
}

async function post(sys: System, alerts: unknown[]): Promise<void> {
  const res = await fetch(`${sys.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { ...sys.headers, 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`${sys.name} answered ${res.status}`);
}

function benchAlerts(step: string, from: number, count: number, extra: Record<string, string> = {}): unknown[] {
  const sentAt = String(Date.now());
  return Array.from({ length: count }, (_, k) => ({
    labels: { alertname: `${step}-${from + k}`, bench_step: step, ...extra },
    annotations: { sent_at_ms: sentAt },
  }));
}

interface StepResult {
  system: string;
  target: number;
  accepted: number;
  failed: number;
  delivered: number;
  deliveredRate: number;
  duplicates: number;
  p50: number;
  p95: number;
  p99: number;
  cpu: number;
}

async function runStep(sys: System, sink: WebhookSink, rate: number): Promise<StepResult> {
  const step = `cmp${sys.name[0]}${rate}x${randomBytes(3).toString('hex')}`;
  const cpuStart = cpuSample();
  const { started, accepted, failed } = await openLoop(rate, seconds, TICK_MS, (from, count) => post(sys, benchAlerts(step, from, count)));
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (sink.unique(step) < accepted && Date.now() < deadline) await sleep(50);
  // Late duplicates (a second notification of the same group) would arrive within a group_interval.
  await sleep(1500);
  const cpuEnd = cpuSample();
  const latencies = [...(sink.latencies.get(step) ?? [])].sort((a, b) => a - b);
  const delivered = sink.unique(step);
  return {
    system: sys.name,
    target: rate,
    accepted,
    failed,
    delivered,
    deliveredRate: delivered / (Math.max(1, sink.lastArrival - started) / 1000),
    duplicates: sink.duplicates(step),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    cpu: cpuPercent(cpuStart, cpuEnd),
  };
}

/** Pause, post `n` alerts, resume: deliveries per second until the sink has them all. */
async function claimRate(sys: System, sink: WebhookSink, n: number): Promise<number> {
  const reason = { reason: 'benchmark: claim rate over a paused backlog' };
  const ops = async (what: string) => {
    const res = await fetch(`${sys.url}/api/v1/ops/deliveries/${what}`, {
      method: 'POST',
      headers: { ...sys.headers, 'content-type': 'application/json' },
      body: JSON.stringify(reason),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${what} answered ${res.status}`);
  };
  await ops('pause');
  const step = `claim${randomBytes(3).toString('hex')}`;
  for (let i = 0; i < n; i += 500) await post(sys, benchAlerts(step, i, Math.min(500, n - i)));
  const started = Date.now();
  await ops('resume');
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (sink.unique(step) < n && Date.now() < deadline) await sleep(20);
  return sink.unique(step) / ((sink.lastArrival - started) / 1000);
}

/** RSS (kB) once `targets[i]` alerts are active, alerts posted 500 per request, 4 requests at a time. */
async function memory(sys: System, targets: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const step = `mem${randomBytes(3).toString('hex')}`;
  let active = 0;
  out.set(0, rssKb(sys.pid));
  for (const target of targets) {
    while (active < target) {
      const batch: Promise<void>[] = [];
      for (let k = 0; k < 4 && active < target; k++) {
        const count = Math.min(500, target - active);
        batch.push(post(sys, benchAlerts(step, active, count, { bench_mem: 'yes' })));
        active += count;
      }
      await Promise.all(batch);
    }
    await sleep(3000);
    out.set(target, rssKb(sys.pid));
  }
  return out;
}

async function tocsinDbFigures(dbUrl: string): Promise<{ deliveries: number; attempts: number; bytes: number }> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    await c.query('VACUUM ANALYZE alert_deliveries, delivery_attempts');
    const r = await c.query<{ deliveries: string; attempts: string; bytes: string }>(
      `SELECT (SELECT count(*) FROM alert_deliveries)::text AS deliveries, (SELECT count(*) FROM delivery_attempts)::text AS attempts,
              (pg_total_relation_size('alert_deliveries') + pg_total_relation_size('delivery_attempts'))::text AS bytes`,
    );
    return { deliveries: Number(r.rows[0].deliveries), attempts: Number(r.rows[0].attempts), bytes: Number(r.rows[0].bytes) };
  } finally {
    await c.end();
  }
}

const ms = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : '—');

function maxAtGoal(rows: readonly StepResult[]): number {
  let best = 0;
  for (const r of rows) if (r.failed === 0 && r.delivered === r.accepted && r.p99 <= P99_GOAL_MS) best = Math.max(best, r.target);
  return best;
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
  const sink = new WebhookSink({ firingOnly: true, firstArrivalLatencyOnly: true, keepAliveTimeoutMs: 60_000 });
  const sinkUrl = await sink.start();
  const db = await createBenchDatabase('tocsin_bench_compare');
  const results = new Map<string, StepResult[]>([
    ['Tocsin', []],
    ['Alertmanager', []],
  ]);
  let tocsinClaims = NaN;
  let dbFigures = { deliveries: 0, attempts: 0, bytes: 0 };
  const mem = new Map<string, Map<number, number>>();
  try {
    // End to end, alternating systems at each rate so both see the same machine moment.
    for (const rate of rates) {
      for (const start of [() => startTocsin(db.url, sinkUrl), () => startAlertmanager(sinkUrl)]) {
        const sys = await start();
        try {
          const row = await runStep(sys, sink, rate);
          results.get(sys.name)?.push(row);
          process.stdout.write(`${sys.name} ${rate}/s: delivered ${row.delivered}/${row.accepted}, p99 ${ms(row.p99)} ms, dup ${row.duplicates}\n`);
        } finally {
          await sys.stop();
        }
      }
    }
    {
      const sys = await startTocsin(db.url, sinkUrl);
      try {
        tocsinClaims = await claimRate(sys, sink, backlog);
        process.stdout.write(`Tocsin claim rate: ${Math.round(tocsinClaims)} deliveries/s over a ${backlog} backlog\n`);
        dbFigures = await tocsinDbFigures(db.url);
        mem.set('Tocsin', await memory(sys, memorySteps));
      } finally {
        await sys.stop();
      }
    }
    {
      const sys = await startAlertmanager(sinkUrl);
      try {
        mem.set('Alertmanager', await memory(sys, memorySteps));
      } finally {
        await sys.stop();
      }
    }
  } finally {
    await sink.close();
    await db.drop();
  }

  const t = results.get('Tocsin') ?? [];
  const a = results.get('Alertmanager') ?? [];
  const ratio = (x: number, y: number) => (y > 0 && Number.isFinite(x) && Number.isFinite(y) ? (x / y).toFixed(2) : '—');
  const e2e = [
    '| target alerts/s | Tocsin delivered/s | AM delivered/s | Tocsin p50 / p95 / p99 ms | AM p50 / p95 / p99 ms | p99 ratio AM/Tocsin | Tocsin dup | AM dup | Tocsin lost | AM lost | CPU % Tocsin step / AM step |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...t.map((r, i) => {
      const m = a[i];
      return `| ${r.target} | ${Math.round(r.deliveredRate)} | ${Math.round(m.deliveredRate)} | ${ms(r.p50)} / ${ms(r.p95)} / ${ms(r.p99)} | ${ms(m.p50)} / ${ms(m.p95)} / ${ms(m.p99)} | ${ratio(m.p99, r.p99)} | ${r.duplicates} | ${m.duplicates} | ${r.accepted + r.failed - r.delivered} | ${m.accepted + m.failed - m.delivered} | ${Math.round(r.cpu)} / ${Math.round(m.cpu)} |`;
    }),
  ].join('\n');
  const tMax = maxAtGoal(t);
  const aMax = maxAtGoal(a);
  const memRows = [
    '| active alerts | Tocsin RSS MB | Alertmanager RSS MB |',
    '|---:|---:|---:|',
    ...[0, ...memorySteps].map(
      (n) => `| ${n} | ${((mem.get('Tocsin')?.get(n) ?? NaN) / 1024).toFixed(0)} | ${((mem.get('Alertmanager')?.get(n) ?? NaN) / 1024).toFixed(0)} |`,
    ),
  ].join('\n');
  const last = memorySteps[memorySteps.length - 1];
  const perAlert = (name: string) => {
    const m = mem.get(name);
    const first = memorySteps[0];
    return m && last > first ? `${(((m.get(last) ?? 0) - (m.get(first) ?? 0)) * 1024 / (last - first) / 1024).toFixed(1)} KB` : '—';
  };
  const perDelivery = dbFigures.deliveries > 0 ? dbFigures.bytes / dbFigures.deliveries : NaN;
  const pgVersion = execFileSync('psql', ['--version']).toString().trim();
  const amVersion = execFileSync(ALERTMANAGER, ['--version']).toString().split('\n')[0].trim();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const report = [
    '',
    `## Tocsin vs Alertmanager, same run — ${new Date().toISOString()}`,
    '',
    `Command: \`${['npm run bench -- compare', ...process.argv.slice(2)].join(' ')}\` (after \`npm run build\`)`,
    `Machine: nproc ${cpus().length} (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, Tocsin ${pkg.version} (TOCSIN_DELIVERY_CONCURRENCY ${concurrency || 'default'}), ${pgVersion} on 127.0.0.1 (fsync on, synchronous_commit on), ${amVersion} (in memory, \`group_interval: 1s\`); sink and load generator on the same machine; load average before the run: ${loadBefore}, after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
    `End to end: open loop for ${seconds} s per rate, one alert per group (\`group_by: [alertname]\`, \`group_wait: 0s\`), batches every ${TICK_MS} ms to \`POST /api/v2/alerts\`; each system started fresh for its step, Tocsin first, then Alertmanager at the same rate; latency = POST sent → first arrival at the sink; delivered/s = distinct alerts / (last arrival − step start); duplicates = arrivals beyond the first per alert (1.5 s after the last); CPU = whole machine over the step.`,
    '',
    e2e,
    '',
    `Highest rate run with p99 ≤ ${P99_GOAL_MS} ms and nothing lost: Tocsin ${tMax || 'none'} alerts/s, Alertmanager ${aMax || 'none'} alerts/s (ratio ${ratio(tMax, aMax)}; granularity: the rates above).`,
    '',
    `Claim rate (Tocsin): deliveries paused, ${backlog} alerts posted, resumed → ${Math.round(tocsinClaims)} deliveries/s to the sink.`,
    `Database (Tocsin): ${dbFigures.deliveries} deliveries and ${dbFigures.attempts} attempts use ${(dbFigures.bytes / 1048576).toFixed(1)} MB (alert_deliveries + delivery_attempts with indexes and TOAST, after VACUUM) → ${Math.round(perDelivery)} bytes per delivery with its attempt → ${((perDelivery * 1e6) / 1073741824).toFixed(2)} GiB per million deliveries.`,
    '',
    `Memory: VmRSS once that many alerts are active (posted 500 per request to a route whose receiver has no integration, 3 s after the last answer); per added alert from ${memorySteps[0]} to ${last}: Tocsin ${perAlert('Tocsin')}, Alertmanager ${perAlert('Alertmanager')}.`,
    '',
    memRows,
    '',
  ].join('\n');
  process.stdout.write(report + '\n');
  if (process.argv.includes('--no-append')) return;
  appendFileSync(join(ROOT, 'BENCHMARKS.md'), report);
}

await main();
