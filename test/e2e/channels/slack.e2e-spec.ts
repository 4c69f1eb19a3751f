/**
 * Slack through the running app: alerts posted to /api/v1/alerts, routed to receivers pointing at
 * the Slack doubles, end delivered / retried not before Retry-After / poison with Slack's text; a
 * bot-token message is updated (same ts) on resolution even across a restart.
 */
import type pg from 'pg';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { psql } from '../delivery/delivery-helpers.js';
import { slackApiReplies, slackArgs, SLACK_CHANNEL_ID, type SlackApiDouble, startSlackApiDouble } from '../../doubles/slack-api.double.js';
import { SLACK_WEBHOOK_PATH, slackWebhookReplies, type SlackWebhookDouble, startSlackWebhookDouble } from '../../doubles/slack-webhook.double.js';
import { attemptsOf, channelsConfigYaml, deliveriesOf, expectNoSecretInReplies, postAlert, settledDelivery, until } from './channels-helpers.js';

const HOOK = 'e2e-slack-hook';
const BOT = 'e2e-slack-bot';
const BOT_TOKEN = 'xoxb-000000000-222222222-e2EsLaCkBoTsEcReT';
const HOOK_SECRET = SLACK_WEBHOOK_PATH.split('/').at(-1) ?? SLACK_WEBHOOK_PATH;

describe('Slack through the running app', () => {
  let app: TestApp;
  let hook: SlackWebhookDouble;
  let api: SlackApiDouble;
  let db: pg.Client;
  let config: string;

  beforeAll(async () => {
    hook = await startSlackWebhookDouble();
    api = await startSlackApiDouble();
    config = channelsConfigYaml(
      [HOOK, BOT],
      `  - name: ${HOOK}
    slack_configs: [{ api_url: "${hook.webhookUrl}", channel: "#e2e-hook" }]
  - name: ${BOT}
    slack_configs: [{ bot_token: "${BOT_TOKEN}", channel: "#e2e-bot", send_resolved: true }]`,
      `channels:\n  slack: { base_url: "${api.apiUrl}", rate_limit: { rate: 100, per: 1s } }`,
    );
    app = await startTestApp({ configYaml: config });
    db = await psql();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    await hook?.close();
    await api?.close();
  });
  beforeEach(() => {
    hook.reset();
    api.reset();
  });

  const hookArrivals = (alertname: string) => hook.requests.filter((r) => r.body.includes(alertname));
  const apiCalls = (method: string, alertname: string) => api.calls(method).filter((r) => r.body.includes(alertname));

  describe('incoming webhook', () => {
    it('should deliver a firing alert with one post', async () => {
      await postAlert(app, HOOK, 'SlackHookOk');
      const row = await settledDelivery(db, HOOK, 'SlackHookOk', 'delivered');
      expect(row.recipient).toBe('#e2e-hook');
      expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider, a.provider_status])).toEqual([['delivered', 'slack-webhook', 200]]);
      expect(hookArrivals('SlackHookOk')).toHaveLength(1);
      expect((hookArrivals('SlackHookOk')[0].json as { channel: string }).channel).toBe('#e2e-hook');
      await expectNoSecretInReplies(app, [row.id], [HOOK_SECRET, SLACK_WEBHOOK_PATH]);
    });

    it("should poison a 404 no_service with Slack's text, without the webhook path", async () => {
      hook.respondOnce(slackWebhookReplies.noService);
      await postAlert(app, HOOK, 'SlackHookNoService');
      const row = await settledDelivery(db, HOOK, 'SlackHookNoService', 'poison');
      expect(row.error_message).toContain('no_service');
      expect(row.retry_count).toBe(1);
      expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider_status])).toEqual([['poison', 404]]);
      expect(hookArrivals('SlackHookNoService')).toHaveLength(1);
      await expectNoSecretInReplies(app, [row.id], [HOOK_SECRET, SLACK_WEBHOOK_PATH]);
    });

    it('should retry a 429 no sooner than its Retry-After, then deliver', async () => {
      hook.respondOnce(slackWebhookReplies.rateLimited('1'));
      await postAlert(app, HOOK, 'SlackHook429');
      const row = await settledDelivery(db, HOOK, 'SlackHook429', 'delivered');
      expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider_status])).toEqual([
        ['retry', 429],
        ['delivered', 200],
      ]);
      const [first, second] = hookArrivals('SlackHook429');
      expect(second.receivedAt.getTime() - first.receivedAt.getTime()).toBeGreaterThanOrEqual(1000);
      await expectNoSecretInReplies(app, [row.id], [HOOK_SECRET]);
    });

    it('should retry a 500, then deliver', async () => {
      hook.respondOnce(slackWebhookReplies.serverError);
      await postAlert(app, HOOK, 'SlackHook500');
      const row = await settledDelivery(db, HOOK, 'SlackHook500', 'delivered');
      expect(row.retry_count).toBe(1);
      expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider_status])).toEqual([
        ['retry', 500],
        ['delivered', 200],
      ]);
      expect(hookArrivals('SlackHook500')).toHaveLength(2);
      await expectNoSecretInReplies(app, [row.id], [HOOK_SECRET]);
    });
  });

  describe('Web API with bot_token', () => {
    it('should poison ok:false channel_not_found with the error code', async () => {
      api.respondOnce(slackApiReplies.channelNotFound);
      await postAlert(app, BOT, 'SlackBotNoChannel');
      const row = await settledDelivery(db, BOT, 'SlackBotNoChannel', 'poison');
      expect(row.error_message).toContain('channel_not_found');
      expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider, a.provider_code])).toEqual([['poison', 'slack-api', 'channel_not_found']]);
      await expectNoSecretInReplies(app, [row.id], [BOT_TOKEN, 'e2EsLaCkBoTsEcReT']);
    });

    it('should retry ratelimited no sooner than its Retry-After, then deliver', async () => {
      api.respondOnce(slackApiReplies.rateLimited('1'));
      await postAlert(app, BOT, 'SlackBotLimited');
      const row = await settledDelivery(db, BOT, 'SlackBotLimited', 'delivered');
      expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider_status])).toEqual([
        ['retry', 429],
        ['delivered', 200],
      ]);
      const [first, second] = apiCalls('chat.postMessage', 'SlackBotLimited');
      expect(second.receivedAt.getTime() - first.receivedAt.getTime()).toBeGreaterThanOrEqual(1000);
      await expectNoSecretInReplies(app, [row.id], [BOT_TOKEN, 'e2EsLaCkBoTsEcReT']);
    });

    it('should post on firing and update the same ts on resolution, across a restart', async () => {
      const name = 'SlackBotRestart';
      const ts = '1767225600.424242';
      api.respondOnce({ status: 200, body: { ok: true, channel: SLACK_CHANNEL_ID, ts, message: { ts } } });
      await postAlert(app, BOT, name);
      await settledDelivery(db, BOT, name, 'delivered');
      const [posted] = apiCalls('chat.postMessage', name);
      expect(posted.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
      expect(slackArgs(posted).channel).toBe('#e2e-bot');

      await app.close();
      app = await startTestApp({ configYaml: config });

      await postAlert(app, BOT, name, { resolved: true });
      const rows = await until(
        () => deliveriesOf(db, BOT, name),
        (r) => r.length === 2 && r.every((d) => d.status === 'delivered'),
        15_000,
        'firing and resolved deliveries delivered',
      );
      expect(apiCalls('chat.postMessage', name)).toHaveLength(1);
      const updates = apiCalls('chat.update', name);
      expect(updates).toHaveLength(1);
      expect(slackArgs(updates[0])).toMatchObject({ channel: SLACK_CHANNEL_ID, ts });
      expect(updates[0].headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
      expect(updates[0].body).toMatch(/resolved/i);
      await expectNoSecretInReplies(app, rows.map((r) => r.id), [BOT_TOKEN, 'e2EsLaCkBoTsEcReT']);
    });
  });
});
