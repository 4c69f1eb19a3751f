/**
 * Shared pieces of the chaos tests: the built service as child processes (spawnService) on the
 * run's database, a webhook sink double, alerts posted through POST /api/v1/alerts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { WebhookSinkDouble, WebhookV4Payload } from '../doubles/webhook-sink.double.js';
import { httpOk, type ServiceProcess, spawnService, waitFor } from '../setup/process.js';

/** The bootstrap admin token the spawned services get (these tests never load the app in-process). */
export const CHAOS_ADMIN_TOKEN = 'tocsin_chaos_admin_token_0123456789abcdef';

/** A short id that makes this run's receiver and label values unique in the shared database. */
export function runId(): string {
  return randomBytes(4).toString('hex');
}

/**
 * One webhook receiver pointing at the sink; every alertname is its own group, flushed inside the
 * ingest transaction (group_wait: 0s). attempt_timeout 2s gives a lease of 2s + 5s.
 */
export function chaosConfigPath(receiver: string, sinkUrl: string, rateLimit: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tocsin-chaos-')), 'tocsin.yml');
  writeFileSync(path, `
route:
  receiver: ${receiver}
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1h
  repeat_interval: 24h
delivery:
  max_attempts: 50
  initial_backoff: 100ms
  max_backoff: 500ms
  attempt_timeout: 2s
channels:
  webhook:
    rate_limit: ${rateLimit}
receivers:
  - name: ${receiver}
    webhook_configs: [{ url: "${sinkUrl}/chaos/${receiver}" }]
`);
  return path;
}

/** Starts the built service (dist/) on the run's database with the test admin token; waits for /readyz. */
export async function startService(configPath: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
  const svc = await spawnService({
    ...process.env,
    TOCSIN_CONFIG: configPath,
    TOCSIN_ADMIN_TOKEN: CHAOS_ADMIN_TOKEN,
    // Tocsin's own SLO alerts would reach the test's only receiver; these tests count every arrival.
    TOCSIN_SLO: '0',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  });
  try {
    await waitFor(async () => svc.child.exitCode === null && (await httpOk(`${svc.url}/readyz`)), 30_000, `readyz of ${svc.url}`);
  } catch (err) {
    svc.child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\nstderr: ${svc.stderr().slice(-2000)}\nstdout: ${svc.stdout().slice(-2000)}`);
  }
  return svc;
}

/** SIGKILL: no shutdown hook runs, nothing is released; resolves once the process is gone. */
export async function killHard(svc: ServiceProcess): Promise<void> {
  if (svc.child.exitCode !== null || svc.child.signalCode !== null) return;
  svc.child.kill('SIGKILL');
  await svc.exited;
}

export interface PostedAlert {
  fingerprint: string;
  deliveries: string[];
}

/** Posts firing alerts named `${prefix}-${i}` for i in [from, to); each reply must be 202. */
export async function postAlerts(url: string, prefix: string, from: number, to: number, extraLabels: Record<string, string> = {}): Promise<PostedAlert[]> {
  const body = [];
  for (let i = from; i < to; i++) body.push({ labels: { alertname: `${prefix}-${i}`, ...extraLabels }, annotations: { summary: `chaos alert ${i}` } });
  const res = await fetch(`${url}/api/v1/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${CHAOS_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST /api/v1/alerts answered ${res.status}: ${text.slice(0, 500)}`);
  return (JSON.parse(text) as { alerts: PostedAlert[] }).alerts;
}

/** How many times the sink saw each alert fingerprint of `receiver`. */
export function arrivalsByFingerprint(sink: WebhookSinkDouble, receiver: string): Map<string, number> {
  const seen = new Map<string, number>();
  for (const r of sink.requests) {
    const payload = r.json as WebhookV4Payload | undefined;
    if (payload?.receiver !== receiver) continue;
    for (const a of payload.alerts) seen.set(a.fingerprint, (seen.get(a.fingerprint) ?? 0) + 1);
  }
  return seen;
}

/** Statuses of the given deliveries, counted (read straight from the table, as psql would). */
export async function statusCounts(ids: readonly string[]): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM alert_deliveries WHERE id = ANY($1::bigint[]) GROUP BY status',
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    await client.end();
  }
}

/**
 * The largest number of arrivals inside any window of `windowMs` (each window starting at an
 * arrival), over sorted arrival times in ms.
 */
export function maxInWindow(sortedMs: readonly number[], windowMs: number): number {
  let best = 0;
  let j = 0;
  for (let i = 0; i < sortedMs.length; i++) {
    while (j < sortedMs.length && sortedMs[j] < sortedMs[i] + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

/** Polls `probe` until `check` holds or the deadline passes (then fails naming `what` and the last value). */
export async function until<T>(probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await probe();
  }
  return last;
}
