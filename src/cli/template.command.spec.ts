import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './main.js';
import { buildPreviewData } from './template.command.js';

const SLACK_SECRET_PATH = '/services/T000SECRET/B000SECRET/slacksecrettoken123';
const HOOK_SECRET_PATH = '/hook/secret-path-4f9a8b';
const ROUTING_KEY = 'R0UTINGKEY0123456789abcdef012345';

const CONFIG = `
global:
  smtp_from: alerts@example.com
channels:
  email:
    provider: sendgrid
    api_key: SG.placeholder-sendgrid-api-key
    from: alerts@example.com
route:
  receiver: team
  group_by: [alertname]
receivers:
  - name: team
    slack_configs:
      - api_url: https://hooks.slack.com${SLACK_SECRET_PATH}
        channel: "#alerts"
        title: "CUSTOM {{ Status | upcase }} {{ CommonLabels.alertname }}"
    email_configs:
      - to: oncall@example.com
    webhook_configs:
      - url: https://hooks.example.com${HOOK_SECRET_PATH}
  - name: pager
    pagerduty_configs:
      - routing_key: ${ROUTING_KEY}
`;

const ALERTS = [
  {
    labels: { alertname: 'DiskFull', instance: 'db-1', severity: 'critical' },
    annotations: { summary: 'Disk is full on db-1' },
    startsAt: '2024-01-01T00:00:00Z',
    generatorURL: 'http://prometheus/graph',
  },
];

function fixture(config = CONFIG, alerts: unknown = ALERTS) {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-template-'));
  writeFileSync(join(dir, 'tocsin.yml'), config);
  writeFileSync(join(dir, 'alerts.json'), JSON.stringify(alerts));
  return dir;
}

async function run(argv: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, cwd });
  return { code, stdout, stderr };
}

interface Rendered {
  channel: string;
  recipient: string;
  message: Record<string, unknown>;
}

function expectNoSecrets(text: string): void {
  for (const secret of [SLACK_SECRET_PATH, 'slacksecrettoken123', HOOK_SECRET_PATH, 'secret-path-4f9a8b', ROUTING_KEY, 'SG.placeholder']) {
    expect(text).not.toContain(secret);
  }
}

describe('tocsin template render', () => {
  it('should render each target with the override where set and the default elsewhere, as JSON', async () => {
    const dir = fixture();
    const r = await run(['template', 'render', '--receiver', 'team', '--alerts', 'alerts.json', '--json'], dir, {
      TOCSIN_EXTERNAL_URL: 'https://tocsin.example.com',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Rendered[];
    expect(out.map((m) => [m.channel, m.recipient])).toEqual([
      ['slack', '#alerts'],
      ['email', 'oncall@example.com'],
      ['webhook', 'https://hooks.example.com'],
    ]);
    expect(JSON.stringify(out[0].message)).toContain('CUSTOM FIRING DiskFull');
    // No subject override: the default subject names the alert; and never the Slack override.
    const email = out[1].message as { subject: string; text: string };
    expect(email.subject).toContain('DiskFull');
    expect(email.subject).not.toContain('CUSTOM');
    const hook = out[2].message as { status: string; externalURL: string; groupLabels: Record<string, string>; alerts: { fingerprint: string }[] };
    expect(hook.status).toBe('firing');
    expect(hook.externalURL).toBe('https://tocsin.example.com');
    expect(hook.groupLabels).toEqual({ alertname: 'DiskFull' });
    expect(hook.alerts[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expectNoSecrets(r.stdout + r.stderr);
  });

  it('should take the config from TOCSIN_CONFIG, honour --status and print for people by default', async () => {
    const dir = fixture();
    const r = await run(['template', 'render', '--receiver', 'team', '--alerts', join(dir, 'alerts.json'), '--status', 'resolved'], tmpdir(), {
      TOCSIN_CONFIG: join(dir, 'tocsin.yml'),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('=== slack → #alerts');
    expect(r.stdout).toContain('CUSTOM RESOLVED DiskFull');
    expect(r.stdout).toContain('Subject: ');
    expect(r.stdout).toContain('"status": "resolved"');
    expectNoSecrets(r.stdout + r.stderr);
  });

  it('should replace the PagerDuty routing key and read a webhook payload', async () => {
    const dir = fixture(CONFIG, { version: '4', alerts: ALERTS });
    const r = await run(['template', 'render', '--receiver', 'pager', '--alerts', 'alerts.json', '--json'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Rendered[];
    expect(out[0].channel).toBe('pagerduty');
    expect(out[0].message.routing_key).toBe('<secret>');
    expectNoSecrets(r.stdout + r.stderr);
  });

  it('should exit 1 naming the defined receivers for an unknown one', async () => {
    const dir = fixture();
    const r = await run(['template', 'render', '--receiver', 'nobody', '--alerts', 'alerts.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('receiver "nobody" is not defined; defined receivers: team, pager\n');
  });

  it('should exit 1 with key.path errors for an invalid config, and for a bad alerts file', async () => {
    const bad = fixture('route: { receiver: nobody }\nreceivers:\n  - name: a\n');
    const r = await run(['template', 'render', '--receiver', 'a', '--alerts', 'alerts.json'], bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('route.receiver: receiver "nobody" is not defined');
    const noLabels = fixture(CONFIG, [{ annotations: {} }]);
    const r2 = await run(['template', 'render', '--receiver', 'team', '--alerts', 'alerts.json'], noLabels);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('alerts[0].labels');
  });

  it('should exit 2 on usage errors and 0 for --help with an example', async () => {
    const dir = fixture();
    expect((await run(['template', 'render', '--alerts', 'alerts.json'], dir)).code).toBe(2);
    expect((await run(['template', 'render', '--receiver', 'team', '--alerts', 'alerts.json', '--status', 'bogus'], dir)).code).toBe(2);
    const help = await run(['template', 'render', '--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Example:');
  });
});

describe('buildPreviewData', () => {
  it('should resolve alerts whose endsAt has passed and keep only the shared labels as common', () => {
    const data = buildPreviewData(
      [
        { labels: { alertname: 'A', instance: '1' }, endsAt: '2024-01-01T00:00:00Z' },
        { labels: { alertname: 'A', instance: '2' }, endsAt: '2030-01-01T00:00:00Z' },
      ],
      { receiver: 'r', now: new Date('2025-01-01T00:00:00Z'), externalURL: 'http://x', groupBy: ['alertname'] },
    );
    expect(data.alerts.map((a) => a.status)).toEqual(['resolved', 'firing']);
    expect(data.status).toBe('firing');
    expect(data.commonLabels).toEqual({ alertname: 'A' });
    expect(data.groupLabels).toEqual({ alertname: 'A' });
  });
});
