/** Slack incoming webhook double: `POST /services/T…/B…/…` answers `ok`, or Slack's plain-text errors. */
import { type DoubleReply, type HttpDouble, startHttpDouble } from './http-double.js';

export const SLACK_WEBHOOK_PATH = '/services/T0TOCSIN/B0TOCSIN/hOoKsEcReTpAtH1234';

export const slackWebhookReplies = {
  ok: { status: 200, body: 'ok' } satisfies DoubleReply,
  invalidPayload: { status: 400, body: 'invalid_payload' } satisfies DoubleReply,
  noText: { status: 400, body: 'no_text' } satisfies DoubleReply,
  channelNotFound: { status: 404, body: 'channel_not_found' } satisfies DoubleReply,
  noService: { status: 404, body: 'no_service' } satisfies DoubleReply,
  actionProhibited: { status: 403, body: 'action_prohibited' } satisfies DoubleReply,
  rateLimited: (retryAfter = '30'): DoubleReply => ({ status: 429, headers: { 'retry-after': retryAfter }, body: 'rate_limited' }),
  serverError: { status: 500, body: 'internal_error' } satisfies DoubleReply,
};

export interface SlackWebhookDouble extends HttpDouble {
  /** The full incoming-webhook URL (its path is the secret). */
  readonly webhookUrl: string;
}

export async function startSlackWebhookDouble(): Promise<SlackWebhookDouble> {
  const double = await startHttpDouble((req) =>
    req.method === 'POST' && req.path === SLACK_WEBHOOK_PATH ? slackWebhookReplies.ok : slackWebhookReplies.noService,
  );
  return Object.assign(double, { webhookUrl: `${double.url}${SLACK_WEBHOOK_PATH}` });
}
