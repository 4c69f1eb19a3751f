import { SystemClock } from '../../src/common/clock.js';
import { SendOutcome, type SendResult } from '../../src/channels/channel-adapter.js';
import { EmailAdapter } from '../../src/channels/email/email.adapter.js';
import { EmailProvider, type EmailTarget, type SendGridSettings, type SmtpSettings } from '../../src/channels/email/email.types.js';
import { compileTemplate } from '../../src/channels/templates/template-engine.js';
import { makeNotificationData } from '../factories/notification.factory.js';
import { makeSendContext } from '../factories/send-context.factory.js';
import type { HttpDouble } from '../doubles/http-double.js';
import { sendgridReplies, startSendGridDouble } from '../doubles/sendgrid.double.js';
import { type SmtpDouble, startSmtpDouble } from '../doubles/smtp.double.js';

const API_KEY = 'SG.sEcReTkEy0000000.aPiKeYsEcReT00000000000';
const SMTP_PASSWORD = 'sMtPpAsSwOrD-s3cr3t';

function errorOf(result: SendResult): string {
  return result.outcome === SendOutcome.Delivered ? '' : result.error;
}

describe(EmailAdapter.name, () => {
  const adapter = new EmailAdapter(new SystemClock());
  let sendgrid: HttpDouble;
  let smtp: SmtpDouble;
  beforeAll(async () => {
    sendgrid = await startSendGridDouble();
    smtp = await startSmtpDouble({ auth: { user: 'tocsin', pass: SMTP_PASSWORD } });
  });
  afterEach(() => {
    sendgrid.reset();
    smtp.reset();
    smtp.messages.length = 0;
  });
  afterAll(async () => {
    await sendgrid.close();
    await smtp.close();
  });

  const sendgridSettings = (): SendGridSettings => ({ provider: EmailProvider.SendGrid, apiKey: API_KEY, from: 'alerts@example.com', baseUrl: sendgrid.url });
  const smtpSettings = (overrides: Partial<SmtpSettings> = {}): SmtpSettings => ({
    provider: EmailProvider.Smtp,
    host: smtp.host,
    port: smtp.port,
    secure: false,
    user: 'tocsin',
    password: SMTP_PASSWORD,
    from: 'fallback@example.com',
    ...overrides,
  });
  const target = (overrides: Partial<EmailTarget> = {}): EmailTarget => ({
    receiver: 'platform-pager',
    to: 'oncall@example.com',
    primary: sendgridSettings(),
    ...overrides,
  });

  describe('SendGrid', () => {
    it('should send subject, text and HTML with the API key', async () => {
      const result = await adapter.send(target(), makeNotificationData({ count: 2 }), makeSendContext());
      expect(result).toEqual({ provider: 'sendgrid', providerStatus: 202, outcome: SendOutcome.Delivered });
      const req = sendgrid.requests[0];
      expect(req.path).toBe('/v3/mail/send');
      expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
      const body = req.json as { subject: string; personalizations: Array<{ to: Array<{ email: string }> }>; content: Array<{ type: string }> };
      expect(body.subject).toBe('[FIRING:2] HighLatency api');
      expect(body.personalizations[0].to[0].email).toBe('oncall@example.com');
      expect(body.content.map((c) => c.type)).toEqual(['text/plain', 'text/html']);
    });

    it('should use the subject template', async () => {
      await adapter.send(target({ subject: compileTemplate('Alert: {{ CommonLabels.alertname }}') }), makeNotificationData(), makeSendContext());
      expect((sendgrid.requests[0].json as { subject: string }).subject).toBe('Alert: HighLatency');
    });

    it.each([
      ['invalid recipient', sendgridReplies.invalidTo, 400, 'Does not contain a valid address. (personalizations.0.to.0.email)'],
      ['invalid payload', sendgridReplies.invalidPayload, 400, 'The subject is required. (subject)'],
      ['bad key', sendgridReplies.unauthorized, 401, 'The provided authorization grant is invalid, expired, or revoked'],
      ['too large', sendgridReplies.tooLarge, 413, 'The JSON payload you have included in your request is too large.'],
    ])('should poison on %s with SendGrid\'s message', async (_name, reply, status, message) => {
      sendgrid.respondWith(reply);
      const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
      expect(result).toEqual({ provider: 'sendgrid', providerStatus: status, outcome: SendOutcome.Poison, error: `${message} (HTTP ${status})` });
    });

    it('should retry a 429 after its Retry-After and a 500', async () => {
      sendgrid.respondOnce(sendgridReplies.rateLimited('9'));
      expect(await adapter.send(target(), makeNotificationData(), makeSendContext())).toMatchObject({
        outcome: SendOutcome.Retry,
        providerStatus: 429,
        retryAfterMs: 9000,
      });
      sendgrid.respondOnce(sendgridReplies.serverError);
      expect(await adapter.send(target(), makeNotificationData(), makeSendContext())).toMatchObject({ outcome: SendOutcome.Retry, providerStatus: 500 });
    });

    it('should retry a timeout', async () => {
      sendgrid.hang();
      const result = await adapter.send(target(), makeNotificationData(), makeSendContext({ timeoutMs: 200 }));
      sendgrid.release();
      expect(result).toMatchObject({ provider: 'sendgrid', outcome: SendOutcome.Retry });
    });

    it('should never let the API key into the error text', async () => {
      sendgrid.respondWith({ status: 401, body: { errors: [{ message: `bad key ${API_KEY}`, field: null }] } });
      const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
      expect(errorOf(result)).toContain('bad key');
      expect(JSON.stringify(result)).not.toContain(API_KEY);
      expect(JSON.stringify(result)).not.toContain('sEcReTkEy');
    });
  });

  describe('SMTP', () => {
    it('should deliver with authentication', async () => {
      const result = await adapter.send(target({ primary: smtpSettings() }), makeNotificationData(), makeSendContext());
      expect(result).toEqual({ provider: 'smtp', providerStatus: 250, outcome: SendOutcome.Delivered });
      expect(smtp.messages[0]).toMatchObject({ from: 'fallback@example.com', to: ['oncall@example.com'], user: 'tocsin' });
      expect(smtp.messages[0].raw).toContain('Subject: [FIRING:1] HighLatency api');
    });

    it('should poison a recipient refused with 550', async () => {
      smtp.rejectRecipient('oncall@example.com', 550);
      const result = await adapter.send(target({ primary: smtpSettings() }), makeNotificationData(), makeSendContext());
      expect(result).toMatchObject({ provider: 'smtp', providerStatus: 550, outcome: SendOutcome.Poison });
      expect(errorOf(result)).toContain('Mailbox unavailable');
    });

    it('should retry a 451', async () => {
      smtp.failTemporarily();
      const result = await adapter.send(target({ primary: smtpSettings() }), makeNotificationData(), makeSendContext());
      expect(result).toMatchObject({ provider: 'smtp', providerStatus: 451, outcome: SendOutcome.Retry });
    });

    it('should poison a 554 on DATA', async () => {
      smtp.rejectData();
      const result = await adapter.send(target({ primary: smtpSettings() }), makeNotificationData(), makeSendContext());
      expect(result).toMatchObject({ provider: 'smtp', providerStatus: 554, outcome: SendOutcome.Poison });
    });

    it('should poison failed authentication without leaking the password', async () => {
      const result = await adapter.send(
        target({ primary: smtpSettings({ password: 'wrong-password-x' }) }),
        makeNotificationData(),
        makeSendContext(),
      );
      expect(result).toMatchObject({ provider: 'smtp', outcome: SendOutcome.Poison, providerCode: 'EAUTH' });
      expect(JSON.stringify(result)).not.toContain('wrong-password-x');
    });

    it('should retry a refused connection and a hang', async () => {
      const refused = await adapter.send(target({ primary: smtpSettings({ port: 1 }) }), makeNotificationData(), makeSendContext());
      expect(refused).toMatchObject({ provider: 'smtp', outcome: SendOutcome.Retry });
      smtp.hang();
      const hung = await adapter.send(target({ primary: smtpSettings() }), makeNotificationData(), makeSendContext({ timeoutMs: 300 }));
      smtp.release();
      expect(hung).toMatchObject({ provider: 'smtp', outcome: SendOutcome.Retry });
    });
  });

  describe('failover', () => {
    it('should deliver through SMTP when SendGrid answers 500', async () => {
      sendgrid.respondWith(sendgridReplies.serverError);
      const result = await adapter.send(target({ fallback: smtpSettings() }), makeNotificationData(), makeSendContext());
      expect(result).toEqual({
        provider: 'smtp',
        providerStatus: 250,
        outcome: SendOutcome.Delivered,
        previous: [{ provider: 'sendgrid', providerStatus: 500, outcome: SendOutcome.Retry, error: 'internal server error (HTTP 500)' }],
      });
      expect(smtp.messages).toHaveLength(1);
    });

    it('should fail over on bad SendGrid credentials and on a timeout', async () => {
      sendgrid.respondWith(sendgridReplies.unauthorized);
      expect(await adapter.send(target({ fallback: smtpSettings() }), makeNotificationData(), makeSendContext())).toMatchObject({
        provider: 'smtp',
        outcome: SendOutcome.Delivered,
      });
      sendgrid.hang();
      const afterTimeout = await adapter.send(target({ fallback: smtpSettings() }), makeNotificationData(), makeSendContext({ timeoutMs: 300 }));
      sendgrid.release();
      expect(afterTimeout).toMatchObject({ provider: 'smtp', outcome: SendOutcome.Delivered, previous: [{ provider: 'sendgrid', outcome: SendOutcome.Retry }] });
    });

    it('should not fail over on a recipient error', async () => {
      sendgrid.respondWith(sendgridReplies.invalidTo);
      const result = await adapter.send(target({ fallback: smtpSettings() }), makeNotificationData(), makeSendContext());
      expect(result).toMatchObject({ provider: 'sendgrid', outcome: SendOutcome.Poison });
      expect(smtp.messages).toHaveLength(0);
    });

    it('should not fail over on a rate limit', async () => {
      sendgrid.respondWith(sendgridReplies.rateLimited('4'));
      const result = await adapter.send(target({ fallback: smtpSettings() }), makeNotificationData(), makeSendContext());
      expect(result).toMatchObject({ provider: 'sendgrid', outcome: SendOutcome.Retry, retryAfterMs: 4000 });
      expect(smtp.messages).toHaveLength(0);
    });
  });
});
