import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '../../src/alerts/fingerprint.js';
import { buildRouteTree, groupKey } from '../../src/alerts/route.js';
import { alertmanagerPath } from './alertmanager-binaries.js';
import { fingerprintLabelSets } from './routing-cases.js';

/** Alertmanager drops labels with an empty value before anything else. */
const withoutEmpty = (labels: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== ''));

const labelsKey = (labels: Record<string, string>): string => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function pollUntil<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

interface AmAlert {
  fingerprint: string;
  labels: Record<string, string>;
}

describe('fingerprints and group keys against a real Alertmanager', () => {
  let dir: string;
  let am: ChildProcess | undefined;
  let amOutput = '';
  let baseUrl: string;
  let webhook: Server;
  const groupKeys = new Set<string>();
  const routeConfig = { receiver: 'hook', group_by: ['...'], group_wait: '0s', group_interval: '1m' };

  beforeAll(async () => {
    const binary = alertmanagerPath(); // throws, naming the Debian package, when missing
    dir = mkdtempSync(join(tmpdir(), 'tocsin-am-'));

    webhook = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const payload = JSON.parse(body) as { groupKey: string };
        groupKeys.add(payload.groupKey);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', () => r()));
    const hookPort = (webhook.address() as AddressInfo).port;

    const config = `route:
  receiver: hook
  group_by: ['...']
  group_wait: 0s
  group_interval: 1m
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:${hookPort}/
`;
    writeFileSync(join(dir, 'alertmanager.yml'), config);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    am = spawn(binary, [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    am.stdout?.on('data', (c: Buffer) => (amOutput += c.toString()));
    am.stderr?.on('data', (c: Buffer) => (amOutput += c.toString()));
    await pollUntil(`Alertmanager to be ready on ${baseUrl} (output: ${amOutput.slice(-500)})`, 20_000, async () => {
      if (am?.exitCode !== null) throw new Error(`Alertmanager exited: ${amOutput.slice(-1000)}`);
      const res = await fetch(`${baseUrl}/-/ready`);
      return res.ok ? true : undefined;
    });
  });

  afterAll(async () => {
    if (am && am.exitCode === null) {
      const exited = new Promise((r) => am?.once('exit', r));
      am.kill('SIGTERM');
      await exited;
    }
    await new Promise<void>((r) => (webhook ? webhook.close(() => r()) : r()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('should compute the same fingerprint as Alertmanager for every posted label set', async () => {
    const sets = fingerprintLabelSets();
    const post = await fetch(`${baseUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sets.map((labels) => ({ labels, annotations: { summary: 'compat' } }))),
    });
    expect(post.status).toBe(200);

    const alerts = await pollUntil('all alerts to be listed', 10_000, async () => {
      const res = await fetch(`${baseUrl}/api/v2/alerts`);
      const body = (await res.json()) as AmAlert[];
      return body.length >= sets.length ? body : undefined;
    });

    const byLabels = new Map(alerts.map((a) => [labelsKey(a.labels), a.fingerprint]));
    const rows = sets.map((labels) => {
      const kept = withoutEmpty(labels);
      return { labels: kept, alertmanager: byLabels.get(labelsKey(kept)), tocsin: fingerprint(kept) };
    });
    expect(rows.filter((r) => r.alertmanager !== r.tocsin)).toEqual([]);
  });

  it('should build the same group keys as Alertmanager sends to a webhook', async () => {
    const sets = fingerprintLabelSets().map(withoutEmpty);
    const tree = buildRouteTree(routeConfig);
    const expected = new Set(sets.map((labels) => groupKey(tree, labels)));
    await pollUntil('a webhook notification for every group', 20_000, async () => (groupKeys.size >= expected.size ? true : undefined));
    expect([...groupKeys].sort()).toEqual([...expected].sort());
  });
});
