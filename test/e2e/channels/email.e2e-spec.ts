/**
 * Email through the running app: SendGrid 202 delivered, 400 invalid recipient → poison, 500
 * with an SMTP fallback → delivered by SMTP within the same attempt (both providers recorded);
 * SMTP-only entries (smarthost): 550 → poison, 451 → retried then delivered. The API key and the
 * SMTP password never reach the delivery API.
 */
import type pg from 'pg';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { psql } from '../delivery/delivery-helpers.js';
import type { HttpDouble } from '../../doubles/http-double.js';
import { sendgridReplies, startSendGridDouble } from '../../doubles/sendgrid.double.js';
import { type SmtpDouble, startSmtpDouble } from '../../doubles/smtp.double.js';
import { attemptsOf, channelsConfigYaml, deliveryReply, expectNoSecretInReplies, postAlert, settledDelivery, until } from './channels-helpers.js';

const SG = 'e2e-mail-sendgrid';
const SMTP = 'e2e-mail-smtp';
const SG_TO = 'oncall-e2e@example.com';
const SMTP_TO = 'ops-e2e@example.com';
const API_KEY = 'SG.e2eSeCrEtKeY00000.aPiKeYe2eSeCrEt000000000';
const SMTP_PASSWORD = 'sMtPe2ePaSsWoRd-s3cr3t';
const SECRETS = [API_KEY, 'e2eSeCrEtKeY', SMTP_PASSWORD];

describe('Email through the running app', () => {
  let app: TestApp;
  let sendgrid: HttpDouble;
  let smtp: SmtpDouble;
  let db: pg.Client;

  beforeAll(async () => {
    sendgrid = await startSendGridDouble();
    smtp = await startSmtpDouble({ auth: { user: 'tocsin', pass: SMTP_PASSWORD } });
    app = await startTestApp({
      configYaml: channelsConfigYaml(
        [SG, SMTP],
        `  - name: ${SG}
    email_configs: [{ to: "${SG_TO}" }]
  - name: ${SMTP}
    email_configs:
      - to: "${SMTP_TO}"
        smarthost: "${smtp.host}:${smtp.port}"
        require_tls: false
        auth_username: tocsin
        auth_password: "${SMTP_PASSWORD}"`,
        `channels:
  email:
    provider: sendgrid
    api_key: "${API_KEY}"
    base_url: "${sendgrid.url}"
    from: alerts@example.com
    rate_limit: { rate: 100, per: 1s }
    fallback:
      provider: smtp
      host: ${smtp.host}
      port: ${smtp.port}
      secure: false
      user: tocsin
      password: "${SMTP_PASSWORD}"`,
        8,
      ),
    });
    db = await psql();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    await sendgrid?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    sendgrid.reset();
    smtp.reset();
  });

  const viaSendGrid = (alertname: string) => sendgrid.requests.filter((r) => r.body.includes(alertname));
  const viaSmtp = (alertname: string) => smtp.messages.filter((m) => m.raw.includes(alertname));

  describe('SendGrid', () => {
    it('should deliver with 202', async () => {
      await postAlert(app, SG, 'MailSgOk');
      const row = await settledDelivery(db, SG, 'MailSgOk', 'delivered');
      expect(row.recipient).toBe(SG_TO);
      expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider, a.provider_status])).toEqual([['delivered', 'sendgrid', 202]]);
      const [req] = viaSendGrid('MailSgOk');
      expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
      expect((req.json as { subject: string }).subject).toContain('[FIRING:1] MailSgOk');
      expect(viaSmtp('MailSgOk')).toHaveLength(0);
      await expectNoSecretInReplies(app, [row.id], SECRETS);
    });

    it("should poison a 400 invalid recipient with SendGrid's message, without failing over", async () => {
      sendgrid.respondOnce(sendgridReplies.invalidTo);
      await postAlert(app, SG, 'MailSgInvalidTo');
      const row = await settledDelivery(db, SG, 'MailSgInvalidTo', 'poison');
      expect(row.error_message).toContain('Does not contain a valid address.');
      expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider, a.provider_status])).toEqual([['poison', 'sendgrid', 400]]);
      expect(viaSmtp('MailSgInvalidTo')).toHaveLength(0);
      await expectNoSecretInReplies(app, [row.id], SECRETS);
    });

    it('should deliver by the SMTP fallback in the same attempt when SendGrid answers 500', async () => {
      sendgrid.respondWith(sendgridReplies.serverError);
      await postAlert(app, SG, 'MailSgFailover');
      const row = await settledDelivery(db, SG, 'MailSgFailover', 'delivered');
      expect(row.retry_count).toBe(0);
      expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider, a.provider_status])).toEqual([
        ['retry', 'sendgrid', 500],
        ['delivered', 'smtp', 250],
      ]);
      expect(viaSendGrid('MailSgFailover')).toHaveLength(1);
      const [mail] = viaSmtp('MailSgFailover');
      expect(mail).toMatchObject({ to: [SG_TO], user: 'tocsin' });
      const reply = (await deliveryReply(app, row.id)).body as { attempts: Array<{ provider: string; outcome: string }> };
      expect(reply.attempts.map((a) => [a.provider, a.outcome])).toEqual([
        ['sendgrid', 'retry'],
        ['smtp', 'delivered'],
      ]);
      await expectNoSecretInReplies(app, [row.id], SECRETS);
    });
  });

  describe('SMTP only (smarthost)', () => {
    it('should deliver with authentication', async () => {
      await postAlert(app, SMTP, 'MailSmtpOk');
      const row = await settledDelivery(db, SMTP, 'MailSmtpOk', 'delivered');
      expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider, a.provider_status])).toEqual([['delivered', 'smtp', 250]]);
      expect(viaSmtp('MailSmtpOk')).toMatchObject([{ to: [SMTP_TO], user: 'tocsin' }]);
      expect(viaSendGrid('MailSmtpOk')).toHaveLength(0);
      await expectNoSecretInReplies(app, [row.id], SECRETS);
    });

    it("should poison a 550 with the server's text", async () => {
      smtp.rejectRecipient(SMTP_TO, 550);
      await postAlert(app, SMTP, 'MailSmtp550');
      const row = await settledDelivery(db, SMTP, 'MailSmtp550', 'poison');
      expect(row.error_message).toContain('Mailbox unavailable');
      expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider, a.provider_status])).toEqual([['poison', 'smtp', 550]]);
      await expectNoSecretInReplies(app, [row.id], SECRETS);
    });

    it('should retry a 451, then deliver once the server accepts', async () => {
      smtp.failTemporarily();
      await postAlert(app, SMTP, 'MailSmtp451');
      const id = (await until(
        () => db.query<{ id: string }>(`SELECT id::text FROM alert_deliveries WHERE receiver = $1 AND payload->'groupLabels'->>'alertname' = 'MailSmtp451'`, [SMTP]).then((r) => r.rows),
        (rows) => rows.length === 1,
        10_000,
        'the delivery row',
      ))[0].id;
      await until(() => attemptsOf(db, id), (a) => a.length >= 1, 10_000, 'a first attempt');
      smtp.reset();
      const row = await settledDelivery(db, SMTP, 'MailSmtp451', 'delivered');
      const log = await attemptsOf(db, id);
      expect(log[0]).toMatchObject({ outcome: 'retry', provider: 'smtp', provider_status: 451 });
      expect(log.slice(0, -1).every((a) => a.outcome === 'retry' && a.provider_status === 451)).toBe(true);
      expect(log.at(-1)).toMatchObject({ outcome: 'delivered', provider: 'smtp', provider_status: 250 });
      expect(row.retry_count).toBe(log.length - 1);
      expect(viaSmtp('MailSmtp451')).toHaveLength(1);
      await expectNoSecretInReplies(app, [row.id], SECRETS);
    });
  });
});
