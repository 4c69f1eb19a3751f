/**
 * Every adapter, failing against its double in each way that produces error text, must keep its
 * secret out of the result, the recipient and anything written to the console or standard streams.
 */
import { SystemClock } from '../../src/common/clock.js';
import type { SendResult } from '../../src/channels/channel-adapter.js';
import { EmailAdapter } from '../../src/channels/email/email.adapter.js';
import { EmailProvider } from '../../src/channels/email/email.types.js';
import { PagerDutyAdapter } from '../../src/channels/pagerduty/pagerduty.adapter.js';
import { SlackAdapter } from '../../src/channels/slack/slack.adapter.js';
import { SmsAdapter } from '../../src/channels/sms/sms.adapter.js';
import { WebhookAdapter } from '../../src/channels/webhook/webhook.adapter.js';
import { makeNotificationData } from '../factories/notification.factory.js';
import { makeSendContext } from '../factories/send-context.factory.js';
import { type DoubleReply, type HttpDouble, startHttpDouble } from '../doubles/http-double.js';
import { startSmtpDouble } from '../doubles/smtp.double.js';

const SECRET = 'lEaKcAnArY0123456789';

/** Captures console output and writes to stdout/stderr while `fn` runs. */
async function captureOutput(fn: () => Promise<void>): Promise<string> {
  const out: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m]);
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  for (const m of methods) console[m] = (...args: unknown[]) => void out.push(args.map(String).join(' '));
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]));
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
  return out.join('\n');
}

/** Replies that echo the secret back, as a careless provider might. */
const echoing: DoubleReply[] = [
  { status: 400, body: `bad request for ${SECRET}` },
  { status: 401, body: { errors: [{ message: `invalid key ${SECRET}` }], message: `invalid ${SECRET}`, code: 20003 } },
  { status: 404, body: `no route /${SECRET}` },
  { status: 500, body: `boom ${SECRET}` },
  { status: 429, headers: { 'retry-after': '1' }, body: { message: SECRET, code: 20429 } },
];

describe('secrets in adapter output', () => {
  let double: HttpDouble;
  const clock = new SystemClock();
  beforeAll(async () => {
    double = await startHttpDouble({ status: 200, body: 'ok' });
  });
  afterAll(async () => double.close());

  const cases: Array<[string, () => Promise<SendResult>]> = [
    ['slack webhook', () => new SlackAdapter(clock).send({ receiver: 'r', webhookUrl: `${double.url}/services/T/B/${SECRET}` }, makeNotificationData(), makeSendContext())],
    ['slack api', () => new SlackAdapter(clock).send({ receiver: 'r', botToken: `xoxb-${SECRET}`, channel: '#c', apiBaseUrl: `${double.url}/api/` }, makeNotificationData(), makeSendContext())],
    ['pagerduty', () => new PagerDutyAdapter(clock).send({ receiver: 'r', routingKey: SECRET, eventsUrl: `${double.url}/v2/enqueue` }, makeNotificationData(), makeSendContext())],
    ['twilio', () => new SmsAdapter(clock).send({ receiver: 'r', to: '+15551234567', accountSid: 'AC1', authToken: SECRET, from: '+15005550006', baseUrl: double.url }, makeNotificationData(), makeSendContext())],
    ['sendgrid', () => new EmailAdapter(clock).send({ receiver: 'r', to: 'a@example.com', primary: { provider: EmailProvider.SendGrid, apiKey: `SG.${SECRET}.${SECRET}`, from: 'f@example.com', baseUrl: double.url } }, makeNotificationData(), makeSendContext())],
    ['webhook', () => new WebhookAdapter(clock).send({ receiver: 'r', url: `${double.url}/hook/${SECRET}`, httpConfig: { authorization: { credentials: SECRET } } }, makeNotificationData(), makeSendContext())],
  ];

  it.each(cases)('should keep the %s secret out of results and output', async (_name, send) => {
    for (const reply of echoing) {
      double.respondWith(reply);
      let result: SendResult | undefined;
      const output = await captureOutput(async () => {
        result = await send();
      });
      expect(JSON.stringify(result)).not.toContain(SECRET);
      expect(output).not.toContain(SECRET);
    }
  });

  it('should keep the SMTP password out of results and output', async () => {
    const smtp = await startSmtpDouble({ auth: { user: 'u', pass: 'right' } });
    try {
      let result: SendResult | undefined;
      const output = await captureOutput(async () => {
        result = await new EmailAdapter(clock).send(
          { receiver: 'r', to: 'a@example.com', primary: { provider: EmailProvider.Smtp, host: smtp.host, port: smtp.port, secure: false, user: 'u', password: SECRET, from: 'f@example.com' } },
          makeNotificationData(),
          makeSendContext(),
        );
      });
      expect(result?.outcome).toBe('poison');
      expect(JSON.stringify(result)).not.toContain(SECRET);
      expect(output).not.toContain(SECRET);
    } finally {
      await smtp.close();
    }
  });
});
