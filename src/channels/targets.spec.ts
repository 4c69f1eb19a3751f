import pino from 'pino';
import { loadConfigFromText } from '../config/config.loader.js';
import type { TocsinConfig } from '../config/config.types.js';
import { Channel } from './channel-adapter.js';
import { EmailProvider } from './email/email.types.js';
import { createAdapters, listTargets, resolveTarget } from './targets.js';
import { FakeClock } from '../common/clock.js';

const YAML = `
channels:
  sms: { account_sid: AC0001, auth_token: smsS3cretToken, from: "+15005550006", base_url: "http://127.0.0.1:9" }
  email:
    provider: sendgrid
    api_key: SG.aaaaaaaaaa.bbbbbbbbbb
    from: alerts@example.com
    fallback: { provider: smtp, host: smtp.example.com, port: 587, user: u, password: smtpS3cret }
route: { receiver: everything }
receivers:
  - name: everything
    slack_configs:
      - { api_url: "https://hooks.slack.com/services/T0/B0/hookSecretPath", title: "{{ CommonLabels.alertname }}" }
      - { bot_token: xoxb-1-2-botSecret, channel: "#ops" }
    pagerduty_configs: [{ routing_key: pdS3cretRoutingKey, service_name: platform }, { routing_key: other0000000000 }]
    email_configs:
      - { to: "oncall@example.com, lead@example.com" }
      - { to: ops@example.com, smarthost: "mail.example.com:465", auth_username: me, auth_password: smarthostS3cret }
    sms_configs: [{ to: "+15551234567" }]
    webhook_configs: [{ url: "https://hooks.example.com/tocsin/whS3cret?token=x", http_config: { authorization: { credentials: bearerS3cret } } }]
    log_configs: [{}]
`;

function load(text = YAML): TocsinConfig {
  const result = loadConfigFromText(text, { env: {}, baseDir: process.cwd() });
  if (!result.ok) throw new Error(result.errors.map((e) => JSON.stringify(e)).join('\n'));
  return result.config;
}

const SECRETS = ['hookSecretPath', 'botSecret', 'pdS3cretRoutingKey', 'smtpS3cret', 'smarthostS3cret', 'smsS3cretToken', 'whS3cret', 'bearerS3cret', 'SG.aaaa'];

describe('listTargets', () => {
  it('should list one target per config entry and per address, with readable recipients', () => {
    const targets = listTargets('everything', load());
    expect(targets.map((t) => [t.channel, t.recipient, t.targetKey, t.sendResolved])).toEqual([
      [Channel.Slack, 'slack:everything', 'slack_configs[0]', false],
      [Channel.Slack, '#ops', 'slack_configs[1]', false],
      [Channel.PagerDuty, 'pagerduty:platform', 'pagerduty_configs[0]', true],
      [Channel.PagerDuty, 'pagerduty:everything', 'pagerduty_configs[1]', true],
      [Channel.Email, 'oncall@example.com', 'email_configs[0]:oncall@example.com', false],
      [Channel.Email, 'lead@example.com', 'email_configs[0]:lead@example.com', false],
      [Channel.Email, 'ops@example.com', 'email_configs[1]:ops@example.com', false],
      [Channel.Sms, '+15551234567', 'sms_configs[0]:+15551234567', false],
      [Channel.Webhook, 'https://hooks.example.com', 'webhook_configs[0]', true],
      [Channel.Log, 'log:everything', 'log_configs[0]', expect.any(Boolean)],
    ]);
  });

  it('should never put a secret in a recipient', () => {
    const recipients = listTargets('everything', load()).map((t) => t.recipient).join(' ');
    for (const secret of SECRETS) expect(recipients).not.toContain(secret);
  });

  it('should give nothing for an unknown receiver', () => {
    expect(listTargets('nobody', load())).toEqual([]);
  });
});

describe('resolveTarget', () => {
  const config = load();

  it('should resolve a Slack webhook with its template', () => {
    const t = resolveTarget(config, 'everything', 'slack_configs[0]');
    expect(t).toMatchObject({ receiver: 'everything', webhookUrl: 'https://hooks.slack.com/services/T0/B0/hookSecretPath' });
    expect(t && 'title' in t && t.title?.source).toBe('{{ CommonLabels.alertname }}');
  });

  it('should resolve a Slack bot token with the Web API base', () => {
    expect(resolveTarget(config, 'everything', 'slack_configs[1]')).toMatchObject({ botToken: 'xoxb-1-2-botSecret', channel: '#ops', apiBaseUrl: 'https://slack.com/api/' });
  });

  it('should resolve PagerDuty with the default events URL', () => {
    expect(resolveTarget(config, 'everything', 'pagerduty_configs[0]')).toMatchObject({
      routingKey: 'pdS3cretRoutingKey',
      eventsUrl: 'https://events.pagerduty.com/v2/enqueue',
      serviceName: 'platform',
    });
  });

  it('should resolve email through channels.email with its fallback', () => {
    expect(resolveTarget(config, 'everything', 'email_configs[0]:lead@example.com')).toMatchObject({
      to: 'lead@example.com',
      primary: { provider: EmailProvider.SendGrid, apiKey: 'SG.aaaaaaaaaa.bbbbbbbbbb', from: 'alerts@example.com' },
      fallback: { provider: EmailProvider.Smtp, host: 'smtp.example.com', port: 587, user: 'u', password: 'smtpS3cret', from: 'alerts@example.com' },
    });
  });

  it('should resolve a smarthost entry as SMTP with implicit TLS on 465', () => {
    const t = resolveTarget(config, 'everything', 'email_configs[1]:ops@example.com');
    expect(t).toMatchObject({ primary: { provider: EmailProvider.Smtp, host: 'mail.example.com', port: 465, secure: true, user: 'me', password: 'smarthostS3cret' } });
    expect(t).not.toHaveProperty('fallback');
  });

  it('should resolve SMS with the Twilio settings of channels.sms', () => {
    expect(resolveTarget(config, 'everything', 'sms_configs[0]:+15551234567')).toEqual({
      receiver: 'everything',
      to: '+15551234567',
      accountSid: 'AC0001',
      authToken: 'smsS3cretToken',
      from: '+15005550006',
      baseUrl: 'http://127.0.0.1:9',
    });
  });

  it('should resolve a webhook with its authorization', () => {
    expect(resolveTarget(config, 'everything', 'webhook_configs[0]')).toMatchObject({
      url: 'https://hooks.example.com/tocsin/whS3cret?token=x',
      httpConfig: { authorization: { type: 'Bearer', credentials: 'bearerS3cret' } },
      maxAlerts: 0,
    });
  });

  it.each([
    ['nobody', 'slack_configs[0]'],
    ['everything', 'slack_configs[5]'],
    ['everything', 'email_configs[0]:gone@example.com'],
    ['everything', 'sms_configs[0]:+15550000000'],
    ['everything', 'opsgenie_configs[0]'],
    ['everything', 'garbage'],
  ])('should give undefined for %s / %s (removed by a reload)', (receiver, key) => {
    expect(resolveTarget(config, receiver, key)).toBeUndefined();
  });

  it('should resolve every listed target', () => {
    for (const t of listTargets('everything', config)) expect(resolveTarget(config, 'everything', t.targetKey)).toBeDefined();
  });
});

describe('createAdapters', () => {
  it('should give one adapter per channel', () => {
    const adapters = createAdapters({ clock: new FakeClock(), logger: pino({ enabled: false }) });
    expect([...adapters.keys()].sort()).toEqual(Object.values(Channel).sort());
    for (const [channel, adapter] of adapters) expect(adapter.channel).toBe(channel);
  });
});
