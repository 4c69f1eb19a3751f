/**
 * Twilio SMS through the running app: 201 delivered, 21211 → poison with Twilio's message,
 * 20003 → poison naming the config keys to fix, 429/20429 → retried no sooner than Retry-After;
 * the auth token never reaches the delivery API.
 */
import type pg from 'pg';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { psql } from '../delivery/delivery-helpers.js';
import { startTwilioDouble, type TwilioDouble, twilioReplies } from '../../doubles/twilio.double.js';
import { attemptsOf, channelsConfigYaml, expectNoSecretInReplies, postAlert, settledDelivery } from './channels-helpers.js';

const SMS = 'e2e-sms';
const TO = '+15557654321';
const ACCOUNT_SID = 'AC0000000000000000000000000000e2e1';
const AUTH_TOKEN = 'tw1l10E2eAuThT0kEnS3cReT00000000';

describe('Twilio SMS through the running app', () => {
  let app: TestApp;
  let twilio: TwilioDouble;
  let db: pg.Client;

  beforeAll(async () => {
    twilio = await startTwilioDouble();
    app = await startTestApp({
      configYaml: channelsConfigYaml(
        [SMS],
        `  - name: ${SMS}\n    sms_configs: [{ to: "${TO}" }]`,
        `channels:
  sms:
    provider: twilio
    account_sid: ${ACCOUNT_SID}
    auth_token: ${AUTH_TOKEN}
    from: "+15005550006"
    base_url: "${twilio.url}"
    rate_limit: { rate: 100, per: 1s }`,
      ),
    });
    db = await psql();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    await twilio?.close();
  });
  beforeEach(() => twilio.reset());

  const sent = (alertname: string) => twilio.requests.filter((r) => (r.form.get('Body') ?? '').includes(alertname));

  it('should deliver through Twilio (201) with the short text', async () => {
    await postAlert(app, SMS, 'SmsOk');
    const row = await settledDelivery(db, SMS, 'SmsOk', 'delivered');
    expect(row.recipient).toBe(TO);
    expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider, a.provider_status])).toEqual([['delivered', 'twilio', 201]]);
    const [req] = sent('SmsOk');
    expect(req.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(req.form.get('To')).toBe(TO);
    expect(req.form.get('Body')?.startsWith('[FIRING:1] SmsOk')).toBe(true);
    await expectNoSecretInReplies(app, [row.id], [AUTH_TOKEN]);
  });

  it("should poison 21211 (invalid number) with Twilio's message", async () => {
    twilio.respondOnce(twilioReplies.invalidTo(TO));
    await postAlert(app, SMS, 'SmsInvalidTo');
    const row = await settledDelivery(db, SMS, 'SmsInvalidTo', 'poison');
    expect(row.error_message).toContain(`The 'To' number ${TO} is not a valid phone number.`);
    expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider_status, a.provider_code])).toEqual([['poison', 400, '21211']]);
    expect(sent('SmsInvalidTo')).toHaveLength(1);
    await expectNoSecretInReplies(app, [row.id], [AUTH_TOKEN]);
  });

  it('should poison 20003 (authentication) naming the config keys to fix', async () => {
    twilio.respondOnce(twilioReplies.authenticationError);
    await postAlert(app, SMS, 'SmsAuth');
    const row = await settledDelivery(db, SMS, 'SmsAuth', 'poison');
    expect(row.error_message).toContain('channels.sms.auth_token');
    expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider_status, a.provider_code])).toEqual([['poison', 401, '20003']]);
    expect(sent('SmsAuth')).toHaveLength(1);
    await expectNoSecretInReplies(app, [row.id], [AUTH_TOKEN]);
  });

  it('should retry 429/20429 no sooner than its Retry-After, then deliver', async () => {
    twilio.respondOnce(twilioReplies.rateLimited('1'));
    await postAlert(app, SMS, 'SmsLimited');
    const row = await settledDelivery(db, SMS, 'SmsLimited', 'delivered');
    expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider_status, a.provider_code])).toEqual([
      ['retry', 429, '20429'],
      ['delivered', 201, null],
    ]);
    const [first, second] = sent('SmsLimited');
    expect(second.receivedAt.getTime() - first.receivedAt.getTime()).toBeGreaterThanOrEqual(1000);
    await expectNoSecretInReplies(app, [row.id], [AUTH_TOKEN]);
  });
});
