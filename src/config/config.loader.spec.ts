import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { toTemplateData } from '../channels/templates/template-engine.js';
import { formatIssue, type ConfigIssue } from './config.errors.js';
import { defaultConfig } from './config.defaults.js';
import { loadConfigFile, loadConfigFromText } from './config.loader.js';
import { redactConfig } from './config.redact.js';
import { EmailTransport, type TocsinConfig } from './config.types.js';

const REPO = resolve(import.meta.dirname, '..', '..');

/** A valid minimal file, with `extra` appended at the top level. */
function file(extra = '', receivers = ''): string {
  return `route:
  receiver: ops
receivers:
  - name: ops
    webhook_configs: [{ url: "https://hooks.example.com/x" }]
${receivers}${extra}`;
}

function load(text: string, env: Record<string, string> = {}, baseDir = REPO) {
  return loadConfigFromText(text, { env, baseDir });
}

function errorsOf(text: string, env: Record<string, string> = {}): string[] {
  const r = load(text, env);
  if (r.ok) throw new Error('expected the config to be invalid');
  return r.errors.map(formatIssue);
}

function okConfig(text: string, env: Record<string, string> = {}, baseDir = REPO): { config: TocsinConfig; warnings: ConfigIssue[] } {
  const r = load(text, env, baseDir);
  if (!r.ok) throw new Error(`expected a valid config, got:\n${r.errors.map(formatIssue).join('\n')}`);
  return { config: r.config, warnings: r.warnings };
}

describe('loadConfigFromText', () => {
  describe('broken files', () => {
    it('should give the line and column of a YAML syntax error', () => {
      const r = load('route:\n  receiver: ops\nreceivers:\n  - name: [ops\n');
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors[0].line).toBe(5);
      expect(formatIssue(r.errors[0])).toMatch(/^line 5, column 1: YAML syntax error: /);
    });

    it('should name an unknown key and suggest the nearest one', () => {
      expect(errorsOf(file('', '  - name: pager\n    webhook_configs: [{ url: "https://a.example.com", send_resovled: true }]\n'))).toEqual([
        'receivers[1].webhook_configs[0].send_resovled: unknown key; did you mean "send_resolved"?',
      ]);
    });

    it('should suggest a top-level section for a misspelt one', () => {
      expect(errorsOf(file('inhibit_rule: []\n'))).toEqual(['inhibit_rule: unknown key; did you mean "inhibit_rules"?']);
    });

    it('should report a value of the wrong type', () => {
      expect(errorsOf(file('delivery:\n  max_attempts: five\n'))).toEqual([
        'delivery.max_attempts: expected a number, got a string ("five")',
      ]);
    });

    it('should report a bad duration', () => {
      expect(errorsOf(file('slo:\n  interval: 10 seconds\n'))).toEqual([
        'slo.interval: "10 seconds" is not a duration; use a number and a unit such as 30s, 5m, 1h30m, 500ms (units: ms, s, m, h, d, w, y)',
      ]);
    });

    it('should report a route naming an undefined receiver', () => {
      const text = file().replace('  receiver: ops\n', '  receiver: ops\n  routes:\n    - receiver: pagr\n      matchers: [team="db"]\n');
      expect(errorsOf(text)).toEqual(['route.routes[0].receiver: receiver "pagr" is not defined; defined receivers: ops']);
    });

    it('should report a duplicate receiver name', () => {
      expect(errorsOf(file('', '  - name: ops\n    log_configs: [{}]\n'))).toEqual([
        'receivers[1].name: receiver name "ops" is already used by receivers[0]',
      ]);
    });

    it('should report an invalid matcher with its index', () => {
      const text = file().replace('  receiver: ops\n', '  receiver: ops\n  routes:\n    - receiver: ops\n      matchers: [\'severity="critical"\', \'team=~"(db"\']\n');
      const errors = errorsOf(text);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^route\.routes\[0\]\.matchers\[1\]: .*invalid regular expression "\(db"/);
    });

    it('should report an unset variable without default at the key that uses it', () => {
      expect(errorsOf(file('', '  - name: pager\n    pagerduty_configs: [{ routing_key: ${PD_KEY} }]\n'))).toEqual([
        'receivers[1].pagerduty_configs[0].routing_key: environment variable PD_KEY is not set and has no default; set it or write ${PD_KEY:-default}',
      ]);
    });

    it('should name an unsupported integration and list the supported ones', () => {
      expect(errorsOf(file('', '  - name: genie\n    opsgenie_configs: [{ api_key: x }]\n'))).toEqual([
        'receivers[1].opsgenie_configs: Tocsin does not support the Alertmanager integration "opsgenie_configs"; supported integrations: slack_configs, pagerduty_configs, email_configs, webhook_configs, sms_configs, log_configs',
      ]);
    });

    it('should report an empty required credential', () => {
      expect(errorsOf(file('', '  - name: pager\n    pagerduty_configs: [{ routing_key: "${PD_KEY:-}" }]\n'))).toEqual([
        'receivers[1].pagerduty_configs[0].routing_key: routing_key is empty',
      ]);
    });

    it('should report empty SMS credentials when a receiver sends SMS', () => {
      const text = file(
        'channels:\n  sms: { account_sid: "${SID:-}", auth_token: "${TOKEN:-}", from: "+15005550006" }\n',
        '  - name: sms\n    sms_configs: [{ to: "+15551234567" }]\n',
      );
      expect(errorsOf(text)).toEqual([
        'channels.sms.account_sid: account_sid is empty; required because receivers use sms_configs',
        'channels.sms.auth_token: auth_token is empty; required because receivers use sms_configs',
      ]);
    });

    it('should refuse a redis heartbeat without REDIS_URL', () => {
      const text = file('heartbeats:\n  - { name: circuit-breaker, source: redis }\n');
      expect(errorsOf(text)).toEqual(['heartbeats[0].source: source: redis needs REDIS_URL to be set']);
      expect(load(text, { REDIS_URL: 'redis://127.0.0.1:6379' }).ok).toBe(true);
    });

    it('should report a template that does not compile', () => {
      const text = file('', '  - name: chat\n    slack_configs: [{ api_url: "https://hooks.slack.com/services/T/B/X", title: "{{ Status | shout }}" }]\n');
      expect(errorsOf(text)).toEqual([
        'receivers[1].slack_configs[0].title: template does not compile: undefined filter: shout, line:1, col:1',
      ]);
    });

    it('should report a route whose root has no receiver, and an undefined fallback receiver', () => {
      const text = 'route: { group_by: [alertname] }\nreceivers: [{ name: log, log_configs: [{}] }]\nslo: { fallback_receiver: pager }\n';
      expect(errorsOf(text)).toEqual([
        'route.receiver: the root route must name a receiver',
        'slo.fallback_receiver: receiver "pager" is not defined; defined receivers: log',
      ]);
    });

    it('should report an undefined time interval', () => {
      const text = file().replace('  receiver: ops\n', '  receiver: ops\n  routes:\n    - receiver: ops\n      mute_time_intervals: [weekend]\n');
      expect(errorsOf(text)).toEqual(['route.routes[0].mute_time_intervals[0]: time interval "weekend" is not defined in time_intervals']);
    });

    it('should report every error of a file, not the first', () => {
      const text = file('delivery: { max_attempts: 0, initial_backoff: soon }\nretention: { deliverd: 30d }\n');
      expect(errorsOf(text)).toEqual([
        'retention.deliverd: unknown key; did you mean "delivered"?',
        'delivery.max_attempts: max_attempts must be at least 1',
        expect.stringMatching(/^delivery\.initial_backoff: "soon" is not a duration/),
      ]);
    });
  });

  describe('the example file', () => {
    it('should pass with no environment variable set', () => {
      const r = loadConfigFile(join(REPO, 'tocsin.example.yml'), {});
      if (!r.ok) throw new Error(r.errors.map(formatIssue).join('\n'));
      expect(r.warnings).toEqual([]);
      expect(r.config.route.receiver).toBe('log');
      expect(r.config.receivers.map((x) => x.name)).toEqual(['log', 'ops-slack', 'platform-pager', 'audit-trail']);
    });

    it('should take values from the env map', () => {
      const r = loadConfigFile(join(REPO, 'tocsin.example.yml'), { PD_ROUTING_KEY: 'r0ut1ngk3y' });
      if (!r.ok) throw new Error('invalid');
      expect(r.config.receivers[2].pagerduty_configs[0].routing_key).toBe('r0ut1ngk3y');
    });
  });

  describe('defaults', () => {
    it('should apply SPEC defaults', () => {
      const { config } = okConfig(file('channels: { sms: { account_sid: AC1, auth_token: t, from: "+15005550006" } }\n', '  - name: all\n    slack_configs: [{ api_url: "https://hooks.slack.com/services/T/B/X" }]\n    pagerduty_configs: [{ routing_key: k }]\n    email_configs: [{ to: a@example.com, from: b@example.com, smarthost: "smtp.example.com:25" }]\n    sms_configs: [{ to: "+15551234567" }]\n'));
      expect(config.delivery).toMatchObject({ max_attempts: 5, initial_backoff_ms: 1000, max_backoff_ms: 300000, attempt_timeout_ms: 10000, coalesce_after: 20 });
      expect(config.slo).toMatchObject({ interval_ms: 10000, window_ms: 300000, fallback_receiver: null });
      expect(config.global.resolve_timeout).toBe('5m');
      expect(config.route).toMatchObject({ group_wait: '30s', group_interval: '5m', repeat_interval: '4h' });
      const all = config.receivers[1];
      expect(all.slack_configs[0].send_resolved).toBe(false);
      expect(all.pagerduty_configs[0].send_resolved).toBe(true);
      expect(all.email_configs[0].send_resolved).toBe(false);
      expect(all.sms_configs[0].send_resolved).toBe(false);
      expect(config.receivers[0].webhook_configs[0].send_resolved).toBe(true);
      expect(all.email_configs[0].transport).toBe(EmailTransport.Smtp);
      expect(all.email_configs[0].smtp).toMatchObject({ host: 'smtp.example.com', port: 25 });
      expect(config.channels.slack.rate_limit).toMatchObject({ rate: 1, per_ms: 1000, burst: 5 });
    });

    it('should default heartbeat staleness to 10s and target to 5s', () => {
      const { config } = okConfig(file('heartbeats: [{ name: circuit-breaker }]\n'));
      expect(config.heartbeats[0]).toMatchObject({ max_staleness_ms: 10000, target_ms: 5000, source: 'api', severity: 'critical' });
    });

    it('should give a built-in config routing everything to log', () => {
      const config = defaultConfig();
      expect(config.route.receiver).toBe('log');
      expect(config.receivers[0].log_configs).toHaveLength(1);
    });

    it('should return a read-only config', () => {
      const { config } = okConfig(file());
      expect(() => {
        (config.delivery as { max_attempts: number }).max_attempts = 1;
      }).toThrow(TypeError);
    });
  });

  describe('templates', () => {
    it('should compile Tocsin templates once, at load', () => {
      const { config } = okConfig(file('', '  - name: chat\n    slack_configs: [{ api_url: "https://hooks.slack.com/services/T/B/X", title: "{{ Status }}: {{ CommonLabels | label_pairs }}" }]\n'));
      const title = config.receivers[1].slack_configs[0].templates.title.compiled;
      const data = toTemplateData({
        receiver: 'chat', status: 'firing', alerts: [], groupLabels: {}, commonLabels: { b: '2', a: '1' },
        commonAnnotations: {}, externalURL: '', groupKey: '', truncatedAlerts: 0,
      });
      expect(title?.render(data)).toBe('firing: a=1, b=2');
    });
  });
});

describe('a real alertmanager.yml', () => {
  it('should load with a warning naming each Go template field and the templates list', () => {
    const r = loadConfigFile(join(REPO, 'test/fixtures/config/alertmanager.yml'), { SMTP_PASSWORD: 'pw' });
    if (!r.ok) throw new Error(r.errors.map(formatIssue).join('\n'));
    const warned = r.warnings.map((w) => w.path);
    expect(warned).toEqual([
      'global.smtp_auth_identity',
      'templates[0]',
      'receivers[0].slack_configs[0].actions',
      'receivers[0].slack_configs[0].title',
      'receivers[0].slack_configs[0].text',
      'receivers[1].pagerduty_configs[0].details.firing',
      'receivers[1].pagerduty_configs[0].description',
      'receivers[2].email_configs[0].headers.Subject',
      'receivers[2].email_configs[0].html',
      'receivers[3].webhook_configs[0].http_config.tls_config',
    ]);
    expect(r.warnings[3].message).toMatch(/Go text\/template syntax/);
    expect(r.warnings[0].message).toMatch(/accepts but does not implement/);
    const slack = r.config.receivers[0].slack_configs[0];
    expect(slack.templates.title).toEqual({ source: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}', compiled: null });
    expect(slack.api_url).toBe('https://hooks.slack.com/services/T0/B0/globalsecret');
    expect(r.config.receivers[2].email_configs[0]).toMatchObject({ transport: EmailTransport.Smtp, to: ['dba@example.com', 'ops@example.com'] });
    expect(r.config.receivers[2].email_configs[0].smtp).toMatchObject({ host: 'smtp.example.org', port: 587, username: 'alertmanager', password: 'pw' });
    expect(r.config.time_intervals.map((t) => t.name)).toEqual(['offhours', 'legacy-weekend']);
  });
});

describe('*_file secrets', () => {
  it('should read secrets from files relative to the config folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-config-'));
    writeFileSync(join(dir, 'pd.key'), 'file-routing-key\n');
    writeFileSync(join(dir, 'hook.url'), 'https://hooks.example.com/from-file\n');
    writeFileSync(join(dir, 'token'), 'bearer-from-file\n');
    const text = `route: { receiver: r }
receivers:
  - name: r
    pagerduty_configs: [{ routing_key_file: pd.key }]
    webhook_configs: [{ url_file: hook.url, http_config: { authorization: { credentials_file: token } } }]
`;
    const { config } = okConfig(text, {}, dir);
    expect(config.receivers[0].pagerduty_configs[0].routing_key).toBe('file-routing-key');
    expect(config.receivers[0].webhook_configs[0].url).toBe('https://hooks.example.com/from-file');
    expect(config.receivers[0].webhook_configs[0].http_config?.authorization).toEqual({ type: 'Bearer', credentials: 'bearer-from-file' });
  });

  it('should report a missing file with its key path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-config-'));
    const r = load('route: { receiver: r }\nreceivers:\n  - name: r\n    pagerduty_configs: [{ routing_key_file: nope.key }]\n', {}, dir);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual(['receivers[0].pagerduty_configs[0].routing_key_file', 'receivers[0].pagerduty_configs[0].routing_key']);
    expect(r.errors[0].message).toMatch(/^cannot read "nope.key" \(.*nope.key\): ENOENT$/);
  });
});

describe('redactConfig', () => {
  it('should replace every secret by <secret>', () => {
    const r = loadConfigFile(join(REPO, 'tocsin.example.yml'), {
      SLACK_OPS_WEBHOOK: 'https://hooks.slack.com/services/T1/B1/slacksecret1',
      PD_ROUTING_KEY: 'pdsecret2',
      TWILIO_AUTH_TOKEN: 'twiliosecret3',
      SENDGRID_API_KEY: 'SG.sendgridsecret4',
      SMTP_PASSWORD: 'smtpsecret5',
      HOOK_TOKEN: 'hooksecret6',
    });
    if (!r.ok) throw new Error('invalid');
    const yaml = redactConfig(r.config);
    for (const secret of ['slacksecret1', 'pdsecret2', 'twiliosecret3', 'sendgridsecret4', 'smtpsecret5', 'hooksecret6', 'hooks.example.com/tocsin']) {
      expect(yaml).not.toContain(secret);
    }
    expect(yaml).toContain('routing_key: <secret>');
    expect(yaml).toContain('receiver: log');
  });
});

describe('redactConfig of an Alertmanager file', () => {
  it('should give the file as written, secrets replaced (URLs keep scheme and host so they still parse), comments and Tocsin defaults left out', () => {
    const config = okConfig(`# old routing key: pdcomment0
global:
  slack_api_url: https://hooks.slack.com/services/T0/B0/slacksecret1
route:
  receiver: hook
receivers:
  - name: hook
    webhook_configs: [{ url: "https://hooks.example.com/path/hooksecret2" }]
  - name: pager
    pagerduty_configs: [{ routing_key: pdsecret3, http_config: { bearer_token: bearer4, http_headers: { X-Api-Key: { secrets: [header5] } } } }]
`).config;
    const yaml = redactConfig(config);
    for (const secret of ['pdcomment0', 'slacksecret1', 'hooksecret2', 'pdsecret3', 'bearer4', 'header5']) expect(yaml).not.toContain(secret);
    expect(yaml).toContain('url: https://hooks.example.com/<secret>');
    expect(yaml).toContain('slack_api_url: https://hooks.slack.com/<secret>');
    expect(yaml).toContain('routing_key: <secret>');
    expect(yaml).not.toMatch(/_ms:|^delivery:|^channels:/m);
    expect(YAML.parse(yaml)).toMatchObject({ route: { receiver: 'hook' }, receivers: [{ name: 'hook' }, { name: 'pager' }] });
  });
});

describe('redactConfig on URLs that are not secret keys', () => {
  it('should hide the credentials of a provider base URL and keep its host', () => {
    const config = okConfig(
      file(`channels:
  sms: { provider: twilio, account_sid: AC1, auth_token: t, from: "+15005550006", base_url: "https://twuser:basepw7@twilio.example.com/" }
  pagerduty: { events_url: "https://pduser:eventspw8@events.example.com/v2/enqueue" }
`),
    ).config;
    const yaml = redactConfig(config);
    expect(yaml).not.toContain('basepw7');
    expect(yaml).not.toContain('eventspw8');
    expect(yaml).toContain('https://<secret>@twilio.example.com/');
    expect(yaml).toContain('https://<secret>@events.example.com/v2/enqueue');
  });
});

describe('Slack targets', () => {
  it('should take a bot token from Alertmanager http_config form and need a channel', () => {
    const text = `route: { receiver: r }
receivers:
  - name: r
    slack_configs:
      - api_url: https://slack.com/api/chat.postMessage
        channel: "#ops"
        http_config: { authorization: { credentials: xoxb-123 } }
      - bot_token: xoxb-456
`;
    const r = loadConfigFromText(text, { env: {}, baseDir: REPO });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(formatIssue)).toEqual(['receivers[0].slack_configs[1].channel: channel is required when sending with a bot token']);
  });

  it('should fall back to global.slack_api_url', () => {
    const { config } = okConfig('global: { slack_api_url: "https://hooks.slack.com/services/G/G/G" }\nroute: { receiver: r }\nreceivers: [{ name: r, slack_configs: [{ channel: "#x" }] }]\n');
    expect(config.receivers[0].slack_configs[0]).toMatchObject({ api_url: 'https://hooks.slack.com/services/G/G/G', bot_token: null });
  });
});
