import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../setup/app.js';

/** Debian package `prometheus` installs /usr/bin/prometheus. */
export const PROMETHEUS_DEBIAN_PACKAGE = 'prometheus';

function prometheusPath(): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin'])) {
    try {
      accessSync(`${dir}/prometheus`, constants.X_OK);
      return `${dir}/prometheus`;
    } catch {
      // keep looking
    }
  }
  throw new Error(`prometheus not found: install the Debian package "${PROMETHEUS_DEBIAN_PACKAGE}" (apt-get install -y ${PROMETHEUS_DEBIAN_PACKAGE})`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const CONFIG = `route:
  receiver: prom-hooks
  group_by: [alertname]
  group_wait: 0s
receivers:
  - name: prom-hooks
    webhook_configs: [{ url: "http://127.0.0.1:9/hook" }]
`;

describe('Prometheus sending alerts to Tocsin', () => {
  let app: TestApp;
  let prom: ChildProcess | null = null;
  let dir: string;
  let promLog = '';

  beforeAll(async () => {
    const binary = prometheusPath();
    app = await startTestApp({ configYaml: CONFIG });
    dir = mkdtempSync(join(tmpdir(), 'tocsin-prom-'));
    const tocsin = new URL(app.url);
    writeFileSync(
      join(dir, 'rules.yml'),
      `groups:\n  - name: tocsin-e2e\n    interval: 1s\n    rules:\n      - alert: TocsinPrometheusE2E\n        expr: vector(1)\n        labels: { severity: info }\n        annotations: { summary: always firing }\n`,
    );
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  evaluation_interval: 1s\n  scrape_interval: 15s\nrule_files: [${join(dir, 'rules.yml')}]\nalerting:\n  alertmanagers:\n    - api_version: v2\n      scheme: http\n      path_prefix: /\n      authorization: { credentials: ${TEST_ADMIN_TOKEN} }\n      static_configs: [{ targets: ['${tocsin.host}'] }]\n`,
    );
    const port = await freePort();
    prom = spawn(binary, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
      // an alert sent before the Alertmanager list is discovered is dropped; resend soon instead of after 1m
      '--rules.alert.resend-delay=1s'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    prom.stderr?.on('data', (c: Buffer) => (promLog = (promLog + c.toString()).slice(-4000)));
  });

  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const exited = new Promise((r) => prom?.once('exit', r));
      prom.kill('SIGTERM');
      await exited;
    }
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('should deliver an always-firing rule to Tocsin through alerting.alertmanagers (api v2, bearer credentials)', async () => {
    const deadline = Date.now() + 30_000;
    let found: { labels: Record<string, string>; annotations: Record<string, string>; generatorURL: string }[] = [];
    while (Date.now() < deadline) {
      const res = await fetch(`${app.url}/api/v2/alerts?filter=${encodeURIComponent('alertname="TocsinPrometheusE2E"')}`, { headers: app.admin });
      found = (await res.json()) as typeof found;
      if (found.length > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (found.length === 0) throw new Error(`no alert from Prometheus within 30 s; Prometheus log tail:\n${promLog}`);
    expect(found[0].labels).toMatchObject({ alertname: 'TocsinPrometheusE2E', severity: 'info' });
    expect(found[0].annotations).toEqual({ summary: 'always firing' });
    expect(found[0].generatorURL).toMatch(/^http/);
  });
});
