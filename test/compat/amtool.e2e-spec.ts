import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../setup/app.js';
import { amtoolPath } from './alertmanager-binaries.js';

const run = promisify(execFile);

const CONFIG = `route:
  receiver: amtool-hooks
  group_by: [alertname]
  group_wait: 0s
  routes:
    - matchers: ['amtool_sev="critical"']
      receiver: amtool-pager
      continue: true
    - matchers: ['amtool_team=~"a.*"']
      receiver: amtool-slack
receivers:
  - name: amtool-hooks
    webhook_configs: [{ url: "http://127.0.0.1:9/hook/hooksecret1" }]
  - name: amtool-pager
    pagerduty_configs: [{ routing_key: pdsecret2, url: "http://127.0.0.1:9/pd" }]
  - name: amtool-slack
    slack_configs: [{ api_url: "http://127.0.0.1:9/services/slacksecret3", channel: "#amtool" }]
`;

describe('amtool against Tocsin', () => {
  let app: TestApp;
  let amtool: string;
  let dir: string;
  let base: string[];

  const am = async (...args: string[]): Promise<string> => (await run(amtool, [...base, ...args], { timeout: 20_000 })).stdout;

  beforeAll(async () => {
    amtool = amtoolPath(); // fails naming the Debian package prometheus-alertmanager when missing
    dir = mkdtempSync(join(tmpdir(), 'tocsin-amtool-'));
    const httpConfig = join(dir, 'http.yml');
    writeFileSync(httpConfig, `authorization:\n  credentials: ${TEST_ADMIN_TOKEN}\n`);
    app = await startTestApp({ configYaml: CONFIG });
    base = [`--alertmanager.url=${app.url}`, `--http.config.file=${httpConfig}`];
  });
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('should load the config back from /api/v2/status: config routes test without a file, as the API routes, and no secret shown', async () => {
    const names = (await am('config', 'routes', 'test', 'amtool_sev=critical', 'amtool_team=abc')).trim();
    expect(names).toBe('amtool-pager,amtool-slack');
    const res = await fetch(`${app.url}/api/v1/routes/test`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ labels: { amtool_sev: 'critical', amtool_team: 'abc' } }),
    });
    expect(((await res.json()) as { receivers: { name: string }[] }).receivers.map((r) => r.name).join(',')).toBe(names);
    const shown = await am('config', 'show');
    for (const secret of ['hooksecret1', 'pdsecret2', 'slacksecret3']) expect(shown).not.toContain(secret);
  });

  it('should add an alert and find it with alert query', async () => {
    await am('alert', 'add', 'alertname=AmtoolAdded', 'severity=warning', '--annotation=summary=from amtool');
    const out = JSON.parse(await am('alert', 'query', 'alertname=AmtoolAdded', '-o', 'json')) as { labels: Record<string, string>; annotations: Record<string, string>; status: { state: string } }[];
    expect(out).toHaveLength(1);
    expect(out[0].labels).toEqual({ alertname: 'AmtoolAdded', severity: 'warning' });
    expect(out[0].annotations).toEqual({ summary: 'from amtool' });
    expect(out[0].status.state).toBe('active');
  });

  it('should add, query and expire a silence, which mutes the alert meanwhile', async () => {
    await am('alert', 'add', 'alertname=AmtoolSilenced');
    const id = (await am('silence', 'add', 'alertname=AmtoolSilenced', '--comment=e2e', '--author=amtool', '--duration=1h')).trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const listed = JSON.parse(await am('silence', 'query', '-o', 'json')) as { id: string; matchers: { name: string; value: string }[]; status: { state: string } }[];
    expect(listed.find((s) => s.id === id)?.matchers).toEqual([{ name: 'alertname', value: 'AmtoolSilenced', isRegex: false, isEqual: true }]);
    expect((await am('silence', 'query', '-q')).split('\n')).toContain(id);

    // the default alert query hides silenced alerts; --silenced shows them
    expect(JSON.parse(await am('alert', 'query', 'alertname=AmtoolSilenced', '-o', 'json'))).toEqual([]);
    const silenced = JSON.parse(await am('alert', 'query', '--silenced', 'alertname=AmtoolSilenced', '-o', 'json')) as { status: { silencedBy: string[] } }[];
    expect(silenced[0].status.silencedBy).toEqual([id]);

    await am('silence', 'expire', id);
    expect((await am('silence', 'query', '-q')).split('\n')).not.toContain(id);
    expect((await am('silence', 'query', '--expired', '-q')).split('\n')).toContain(id);
    expect(JSON.parse(await am('alert', 'query', 'alertname=AmtoolSilenced', '-o', 'json'))).toHaveLength(1);
  });
});
