/**
 * Ingest benchmark: alerts per second accepted durably (committed before the 2xx) with 1, 10
 * and 100 alerts per request, through `POST /api/v2/alerts` of the built service.
 *
 *   npm run build && npm run bench -- ingest [--seconds 10] [--connections 16]
 *
 * Starts `node bin/start.js` on a fresh database on BENCH_PG (default the local server
 * postgres://postgres@127.0.0.1:5432/postgres) with delivery workers off, so only ingest is
 * measured; every alert has its own label set (its own group: the costliest case). Prints a
 * table and appends it to BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createBenchDatabase, freePort, option, ROOT, waitReady, writeTempConfig } from './bench-support.js';

const seconds = Number(option('seconds', '10'));
const connections = Number(option('connections', '16'));
const TOKEN = 'tocsin_bench_admin_token_000000000000000000';

let seq = 0;
function batch(size: number): string {
  const alerts = [];
  for (let i = 0; i < size; i++) {
    seq += 1;
    alerts.push({ labels: { alertname: 'BenchIngest', instance: `host-${seq}`, severity: 'warning' }, annotations: { summary: 'bench' } });
  }
  return JSON.stringify(alerts);
}

interface Row {
  perRequest: number;
  requestsPerSec: number;
  alertsPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function run(url: string, perRequest: number): Promise<Row> {
  const result = await autocannon({
    url: `${url}/api/v2/alerts`,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: batch(perRequest) }) }],
  });
  const ok = result['2xx'];
  return {
    perRequest,
    requestsPerSec: Math.round(ok / seconds),
    alertsPerSec: Math.round((ok * perRequest) / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
  const db = await createBenchDatabase('tocsin_bench_ingest');
  const port = await freePort();
  const config = writeTempConfig('route: { receiver: sink, group_wait: 30s }\nreceivers: [{ name: sink, log_configs: [{}] }]\n');
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'start.js')], {
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', TOCSIN_ADMIN_TOKEN: TOKEN, TOCSIN_CONFIG: config, TOCSIN_WORKERS: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url);
    const rows: Row[] = [];
    for (const n of [1, 10, 100]) rows.push(await run(url, n));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const stored = (await client.query<{ n: string }>('SELECT count(*)::text AS n FROM alerts')).rows[0].n;
    await client.end();
    const table = [
      '| alerts/request | requests/s | alerts/s | p50 ms | p99 ms | non-2xx |',
      '|---:|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.perRequest} | ${r.requestsPerSec} | ${r.alertsPerSec} | ${r.p50} | ${r.p99} | ${r.non2xx} |`),
    ].join('\n');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const report = [
      '',
      `## Ingest — ${new Date().toISOString()}`,
      '',
      `Command: \`npm run bench -- ingest --seconds ${seconds} --connections ${connections}\``,
      `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, Tocsin ${pkg.version}; PostgreSQL on 127.0.0.1, delivery workers off; each alert its own group; load average before the run: ${loadBefore}.`,
      `Rows in \`alerts\` afterwards: ${stored} (every 2xx alert is stored).`,
      '',
      table,
      '',
    ].join('\n');
    process.stdout.write(report + '\n');
    appendFileSync(join(ROOT, 'BENCHMARKS.md'), report);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await db.drop();
  }
}

await main();
