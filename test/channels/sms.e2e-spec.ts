import { SystemClock } from '../../src/common/clock.js';
import { SendOutcome } from '../../src/channels/channel-adapter.js';
import { SmsAdapter } from '../../src/channels/sms/sms.adapter.js';
import type { SmsTarget } from '../../src/channels/sms/sms.types.js';
import { compileTemplate } from '../../src/channels/templates/template-engine.js';
import { makeNotificationData } from '../factories/notification.factory.js';
import { makeSendContext } from '../factories/send-context.factory.js';
import { startTwilioDouble, type TwilioDouble, twilioReplies } from '../doubles/twilio.double.js';

const ACCOUNT_SID = 'AC00000000000000000000000000000001';
const AUTH_TOKEN = 'tw1l10AuThT0kEnS3cReT0000000000';

describe(SmsAdapter.name, () => {
  const adapter = new SmsAdapter(new SystemClock());
  let twilio: TwilioDouble;
  beforeAll(async () => {
    twilio = await startTwilioDouble();
  });
  afterEach(() => twilio.reset());
  afterAll(async () => twilio.close());

  const target = (overrides: Partial<SmsTarget> = {}): SmsTarget => ({
    receiver: 'platform-pager',
    to: '+15551234567',
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: '+15005550006',
    baseUrl: twilio.url,
    ...overrides,
  });

  it('should send the short text through Twilio with basic auth', async () => {
    const result = await adapter.send(target(), makeNotificationData({ count: 3 }), makeSendContext());
    expect(result).toMatchObject({ provider: 'twilio', providerStatus: 201, outcome: SendOutcome.Delivered, state: { sid: expect.stringMatching(/^SM/) } });
    const req = twilio.requests[0];
    expect(req.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(twilio.messages[0]).toMatchObject({ To: '+15551234567', From: '+15005550006' });
    expect(twilio.messages[0].Body.startsWith('[FIRING:3] HighLatency api critical')).toBe(true);
  });

  it('should use a messaging service and a message template', async () => {
    await adapter.send(
      target({ from: undefined, messagingServiceSid: 'MG000000000000000000000000000000aa', message: compileTemplate('{{ Status }} {{ CommonLabels.alertname }}') }),
      makeNotificationData(),
      makeSendContext(),
    );
    expect(twilio.messages[0]).toMatchObject({ MessagingServiceSid: 'MG000000000000000000000000000000aa', Body: 'firing HighLatency' });
    expect(twilio.messages[0]).not.toHaveProperty('From');
  });

  it('should poison an invalid number with Twilio\'s message', async () => {
    twilio.respondWith(twilioReplies.invalidTo('+15551234567'));
    const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
    expect(result).toEqual({
      provider: 'twilio',
      providerStatus: 400,
      providerCode: '21211',
      outcome: SendOutcome.Poison,
      error: "The 'To' number +15551234567 is not a valid phone number. (HTTP 400)",
    });
  });

  it('should poison bad credentials naming the config key to fix', async () => {
    twilio.respondWith(twilioReplies.authenticationError);
    const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
    expect(result).toMatchObject({ outcome: SendOutcome.Poison, providerStatus: 401, providerCode: '20003' });
    expect(result.outcome !== SendOutcome.Delivered && result.error).toContain('channels.sms.auth_token');
  });

  it('should retry 429 / 20429 after its Retry-After', async () => {
    twilio.respondWith(twilioReplies.rateLimited('3'));
    expect(await adapter.send(target(), makeNotificationData(), makeSendContext())).toMatchObject({
      outcome: SendOutcome.Retry,
      providerStatus: 429,
      providerCode: '20429',
      retryAfterMs: 3000,
    });
  });

  it('should retry a 500, a timeout and a refused connection', async () => {
    twilio.respondWith(twilioReplies.serverError);
    expect(await adapter.send(target(), makeNotificationData(), makeSendContext())).toMatchObject({ outcome: SendOutcome.Retry, providerStatus: 500 });
    twilio.hang();
    const timedOut = await adapter.send(target(), makeNotificationData(), makeSendContext({ timeoutMs: 200 }));
    twilio.release();
    expect(timedOut).toMatchObject({ outcome: SendOutcome.Retry });
    const refused = await adapter.send(target({ baseUrl: 'http://127.0.0.1:1' }), makeNotificationData(), makeSendContext());
    expect(refused).toMatchObject({ outcome: SendOutcome.Retry, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('should never let the auth token into the error text', async () => {
    twilio.respondWith({ status: 401, body: { code: 20003, message: `Authenticate ${AUTH_TOKEN}`, status: 401 } });
    const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
    expect(JSON.stringify(result)).not.toContain(AUTH_TOKEN);
    expect(JSON.stringify(result)).not.toContain(Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'));
  });
});
