import { SystemClock } from '../../src/common/clock.js';
import { SendOutcome, type SendResult } from '../../src/channels/channel-adapter.js';
import { SlackAdapter } from '../../src/channels/slack/slack.adapter.js';
import { compileTemplate } from '../../src/channels/templates/template-engine.js';
import { makeNotificationData } from '../factories/notification.factory.js';
import { makeSendContext } from '../factories/send-context.factory.js';
import { slackApiReplies, slackArgs, SLACK_CHANNEL_ID, type SlackApiDouble, startSlackApiDouble } from '../doubles/slack-api.double.js';
import {
  SLACK_WEBHOOK_PATH,
  slackWebhookReplies,
  type SlackWebhookDouble,
  startSlackWebhookDouble,
} from '../doubles/slack-webhook.double.js';

const BOT_TOKEN = 'xoxb-000000000-111111111-sEcReTbOtToKeN';

function errorOf(result: SendResult): string {
  return result.outcome === SendOutcome.Delivered ? '' : result.error;
}

describe(SlackAdapter.name, () => {
  const adapter = new SlackAdapter(new SystemClock());

  describe('incoming webhook', () => {
    let slack: SlackWebhookDouble;
    beforeAll(async () => {
      slack = await startSlackWebhookDouble();
    });
    afterEach(() => slack.reset());
    afterAll(async () => slack.close());

    const target = () => ({ receiver: 'ops-slack', webhookUrl: slack.webhookUrl, channel: '#alerts-ops' });

    it('should deliver and post the default message', async () => {
      const result = await adapter.send(target(), makeNotificationData({ count: 2 }), makeSendContext());
      expect(result).toEqual({ provider: 'slack-webhook', providerStatus: 200, outcome: SendOutcome.Delivered });
      const body = slack.requests.at(-1)?.json as { text: string; channel: string; attachments: Array<{ color: string }> };
      expect(body.text).toContain('[FIRING:2] HighLatency api');
      expect(body.channel).toBe('#alerts-ops');
      expect(body.attachments[0].color).toBe('#E01E5A');
    });

    it('should deliver a 500-alert group within Slack\'s block limit', async () => {
      const result = await adapter.send(target(), makeNotificationData({ count: 500 }), makeSendContext());
      expect(result.outcome).toBe(SendOutcome.Delivered);
      const body = slack.requests.at(-1)?.json as { attachments: Array<{ blocks: unknown[] }> };
      expect(body.attachments[0].blocks.length).toBeLessThanOrEqual(50);
    });

    it.each([
      ['invalid_payload', slackWebhookReplies.invalidPayload, 400],
      ['no_service', slackWebhookReplies.noService, 404],
      ['action_prohibited', slackWebhookReplies.actionProhibited, 403],
    ])('should poison with Slack\'s text on %s', async (text, reply, status) => {
      slack.respondWith(reply);
      const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
      expect(result).toMatchObject({ outcome: SendOutcome.Poison, providerStatus: status, providerCode: text });
      expect(errorOf(result)).toContain(text);
    });

    it('should retry a 429 after its Retry-After', async () => {
      slack.respondWith(slackWebhookReplies.rateLimited('30'));
      const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
      expect(result).toMatchObject({ outcome: SendOutcome.Retry, providerStatus: 429, retryAfterMs: 30_000 });
    });

    it('should retry a 500', async () => {
      slack.respondWith(slackWebhookReplies.serverError);
      const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
      expect(result).toMatchObject({ outcome: SendOutcome.Retry, providerStatus: 500 });
    });

    it('should retry when the attempt times out', async () => {
      slack.hang();
      const result = await adapter.send(target(), makeNotificationData(), makeSendContext({ timeoutMs: 200 }));
      slack.release();
      expect(result).toMatchObject({ outcome: SendOutcome.Retry, error: expect.stringContaining('timed out') });
    });

    it('should retry when the connection is refused', async () => {
      const result = await adapter.send(
        { receiver: 'ops-slack', webhookUrl: `http://127.0.0.1:1${SLACK_WEBHOOK_PATH}` },
        makeNotificationData(),
        makeSendContext(),
      );
      expect(result).toMatchObject({ outcome: SendOutcome.Retry, error: expect.stringContaining('ECONNREFUSED') });
    });

    it('should never let the webhook path into the error text', async () => {
      slack.respondWith({ status: 404, body: `no_service for ${slack.webhookUrl}` });
      const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
      const secretPart = SLACK_WEBHOOK_PATH.split('/').at(-1) ?? '';
      expect(errorOf(result)).toContain('no_service');
      expect(JSON.stringify(result)).not.toContain(secretPart);
      expect(JSON.stringify(result)).not.toContain(SLACK_WEBHOOK_PATH);
    });
  });

  describe('Web API with bot_token', () => {
    let slack: SlackApiDouble;
    beforeAll(async () => {
      slack = await startSlackApiDouble();
    });
    afterEach(() => slack.reset());
    afterAll(async () => slack.close());

    const target = () => ({ receiver: 'ops-slack', botToken: BOT_TOKEN, apiBaseUrl: slack.apiUrl, channel: '#alerts-ops', username: compileTemplate('tocsin') });

    it('should post, then update the same message when the group resolves', async () => {
      const posted = await adapter.send(target(), makeNotificationData(), makeSendContext());
      expect(posted).toMatchObject({ outcome: SendOutcome.Delivered, provider: 'slack-api' });
      const state = posted.outcome === SendOutcome.Delivered ? posted.state : undefined;
      expect(state).toEqual({ ts: expect.any(String), channel: SLACK_CHANNEL_ID });
      const post = slack.calls('chat.postMessage').at(-1);
      expect(post?.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
      expect(slackArgs(post!).username).toBe('tocsin');

      const resolved = await adapter.send(
        target(),
        makeNotificationData({ status: 'resolved' }),
        makeSendContext({ previousState: state }),
      );
      expect(resolved).toMatchObject({ outcome: SendOutcome.Delivered, state });
      const update = slack.calls('chat.update');
      expect(update).toHaveLength(1);
      expect(slackArgs(update[0])).toMatchObject({ channel: SLACK_CHANNEL_ID, ts: state?.ts });
      expect(slack.calls('chat.postMessage')).toHaveLength(1);
    });

    it('should post anew when the message to update is gone', async () => {
      slack.respondOnce(slackApiReplies.messageNotFound);
      const result = await adapter.send(
        target(),
        makeNotificationData({ status: 'resolved' }),
        makeSendContext({ previousState: { ts: '1.2', channel: SLACK_CHANNEL_ID } }),
      );
      expect(result).toMatchObject({ outcome: SendOutcome.Delivered, state: { ts: expect.any(String) } });
      expect(slack.requests.map((r) => r.path).slice(-2)).toEqual(['/api/chat.update', '/api/chat.postMessage']);
    });

    it.each(['channel_not_found', 'invalid_auth', 'invalid_blocks'])('should poison on ok:false %s', async (code) => {
      slack.respondWith(slackApiReplies.error(code));
      const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
      expect(result).toEqual({ provider: 'slack-api', providerStatus: 200, providerCode: code, outcome: SendOutcome.Poison, error: code });
    });

    it('should retry a rate-limited call after its Retry-After', async () => {
      slack.respondWith(slackApiReplies.rateLimited('12'));
      const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
      expect(result).toMatchObject({ outcome: SendOutcome.Retry, providerStatus: 429, retryAfterMs: 12_000 });
      expect(slack.requests).toHaveLength(1);
    });

    it('should retry a 500 and a timeout', async () => {
      slack.respondWith(slackApiReplies.serverError);
      expect(await adapter.send(target(), makeNotificationData(), makeSendContext())).toMatchObject({
        outcome: SendOutcome.Retry,
        providerStatus: 500,
      });
      slack.hang();
      const timedOut = await adapter.send(target(), makeNotificationData(), makeSendContext({ timeoutMs: 200 }));
      slack.release();
      expect(timedOut).toMatchObject({ outcome: SendOutcome.Retry });
    });

    it('should never let the bot token into the error text', async () => {
      slack.respondWith({ status: 500, body: `token ${BOT_TOKEN} failed` });
      const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
      expect(errorOf(result)).toContain('failed');
      expect(JSON.stringify(result)).not.toContain('sEcReTbOtToKeN');
    });
  });
});
