/**
 * Slack: an incoming webhook (`api_url`) through `@slack/webhook`, or with a `bot_token` the Web
 * API through `@slack/web-api` — `chat.postMessage`, and `chat.update` of the firing message
 * when its group resolves. SDK retries are off (the delivery engine retries), rate-limited calls
 * are rejected rather than waited out, and the SDKs talk through our keep-alive HTTP client so
 * `Retry-After` and the attempt's abort signal are honoured.
 */
import { IncomingWebhook } from '@slack/webhook';
import { type ChatPostMessageArguments, type Logger, LogLevel, WebClient } from '@slack/web-api';
import type { Clock } from '../../common/clock.js';
import {
  Channel,
  type ChannelAdapter,
  type NotificationData,
  type SendContext,
  SendOutcome,
  type SendResult,
} from '../channel-adapter.js';
import { classifyHttpOutcome, TransportFailure } from '../classify.js';
import { createFetch, HttpTransportError, type HttpResponse } from '../http/http-client.js';
import { redactSecrets } from '../redact.js';
import { renderOverride } from '../templates/template-field.js';
import { buildSlackMessage, type SlackMessage, type SlackMessageOverrides } from './slack-message.js';
import { isSlackMessageState, SLACK_DEFAULT_API_BASE, type SlackTarget } from './slack.types.js';

export const SLACK_WEBHOOK_PROVIDER = 'slack-webhook';
export const SLACK_API_PROVIDER = 'slack-api';

/** Web API errors that mean "the message to update is gone": post a new one instead. */
const UPDATE_FALLBACK_ERRORS = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);
const RATE_LIMIT_ERRORS = new Set(['ratelimited', 'rate_limited']);

const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

interface CodedSdkError {
  code?: unknown;
  statusCode?: unknown;
  body?: unknown;
  original?: unknown;
  retryAfter?: unknown;
  data?: { error?: unknown };
  message?: unknown;
}

function asCoded(err: unknown): CodedSdkError {
  return typeof err === 'object' && err !== null ? (err as CodedSdkError) : { message: String(err) };
}

function transportOf(original: unknown): { failure: TransportFailure; text: string } {
  if (original instanceof HttpTransportError) return { failure: original.failure, text: original.message };
  if (original instanceof Error && (original.name === 'AbortError' || original.name === 'TimeoutError')) {
    return { failure: TransportFailure.Timeout, text: 'request timed out' };
  }
  return { failure: TransportFailure.Connection, text: original instanceof Error ? original.message : String(original) };
}

/** Normalises the configured Web API URL to the SDK's base (`…/api/`). */
export function slackApiBase(url: string | undefined): string {
  if (!url) return SLACK_DEFAULT_API_BASE;
  const trimmed = url.replace(/\/chat\.(postMessage|update)\/?$/, '/');
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** The message overrides a target's rendered templates and settings give (the `template render` CLI previews the same). */
export function slackOverridesFor(target: SlackTarget, data: NotificationData): SlackMessageOverrides {
  const out: SlackMessageOverrides = {};
  const title = renderOverride(target.title, data);
  const titleLink = renderOverride(target.titleLink, data);
  const text = renderOverride(target.text, data);
  const color = renderOverride(target.color, data);
  const username = renderOverride(target.username, data);
  const pretext = renderOverride(target.pretext, data);
  const fallback = renderOverride(target.fallback, data);
  const footer = renderOverride(target.footer, data);
  if (username) out.username = username;
  if (pretext) out.pretext = pretext;
  if (fallback) out.fallback = fallback;
  if (footer) out.footer = footer;
  if (title) out.title = title;
  if (titleLink) out.titleLink = titleLink;
  if (text) out.text = text;
  if (color) out.color = color;
  if (target.channel) out.channel = target.channel;
  if (target.iconEmoji) out.iconEmoji = target.iconEmoji;
  if (target.iconUrl) out.iconUrl = target.iconUrl;
  return out;
}

export class SlackAdapter implements ChannelAdapter<SlackTarget> {
  readonly channel = Channel.Slack;

  constructor(private readonly clock: Clock) {}

  async send(target: SlackTarget, data: NotificationData, ctx: SendContext): Promise<SendResult> {
    let message: SlackMessage;
    try {
      message = buildSlackMessage(data, slackOverridesFor(target, data));
    } catch (err) {
      const provider = target.botToken ? SLACK_API_PROVIDER : SLACK_WEBHOOK_PROVIDER;
      return { provider, outcome: SendOutcome.Poison, error: redactSecrets(`message template failed: ${String(err)}`, this.secrets(target)) };
    }
    if (target.botToken) return this.sendApi(target, target.botToken, message, data, ctx);
    if (target.webhookUrl) return this.sendWebhook(target, target.webhookUrl, message, ctx);
    return {
      provider: SLACK_WEBHOOK_PROVIDER,
      outcome: SendOutcome.Poison,
      error: 'slack_configs entry has neither api_url nor bot_token',
    };
  }

  private secrets(target: SlackTarget): string[] {
    const out: string[] = [];
    if (target.botToken) out.push(target.botToken);
    if (target.webhookUrl) {
      out.push(target.webhookUrl);
      try {
        const path = new URL(target.webhookUrl).pathname;
        out.push(path, ...path.split('/').filter((part) => part.length >= 8));
      } catch {
        // an unparseable URL is still redacted whole
      }
    }
    return out;
  }

  private async sendWebhook(target: SlackTarget, url: string, message: SlackMessage, ctx: SendContext): Promise<SendResult> {
    let last: HttpResponse | undefined;
    const webhook = new IncomingWebhook(url, {
      timeout: ctx.timeoutMs,
      retryConfig: { retries: 0 },
      fetch: createFetch({ signal: ctx.signal, onResponse: (res) => (last = res) }),
    });
    const secrets = this.secrets(target);
    try {
      await webhook.send(message);
      return classifyHttpOutcome({ provider: SLACK_WEBHOOK_PROVIDER, status: last?.status ?? 200 }, this.clock.now());
    } catch (err) {
      const e = asCoded(err);
      if (typeof e.statusCode === 'number') {
        return classifyHttpOutcome(
          {
            provider: SLACK_WEBHOOK_PROVIDER,
            status: e.statusCode,
            errorText: typeof e.body === 'string' ? e.body : String(e.message),
            retryAfter: last?.headers['retry-after'],
            ...(typeof e.body === 'string' && e.body.length <= 64 ? { providerCode: e.body } : {}),
            secrets,
          },
          this.clock.now(),
        );
      }
      const transport = transportOf(e.original ?? err);
      return classifyHttpOutcome(
        { provider: SLACK_WEBHOOK_PROVIDER, transportFailure: transport.failure, errorText: transport.text, secrets },
        this.clock.now(),
      );
    }
  }

  private async sendApi(
    target: SlackTarget,
    token: string,
    message: SlackMessage,
    data: NotificationData,
    ctx: SendContext,
  ): Promise<SendResult> {
    const channel = message.channel ?? target.channel;
    if (!channel) {
      return { provider: SLACK_API_PROVIDER, outcome: SendOutcome.Poison, error: 'slack_configs entry with bot_token needs a channel' };
    }
    let last: HttpResponse | undefined;
    const client = new WebClient(token, {
      slackApiUrl: slackApiBase(target.apiBaseUrl),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: ctx.timeoutMs,
      allowAbsoluteUrls: false,
      logger: silentLogger,
      fetch: createFetch({ signal: ctx.signal, onResponse: (res) => (last = res) }),
    });
    const secrets = this.secrets(target);
    const previous = ctx.previousState;
    try {
      if (data.status === 'resolved' && isSlackMessageState(previous)) {
        const updated = await this.tryUpdate(client, previous.channel, previous.ts, message);
        if (updated !== undefined) return updated;
      }
      const base = {
        channel,
        text: message.text,
        attachments: message.attachments,
        ...(message.username ? { username: message.username } : {}),
      };
      const args: ChatPostMessageArguments = message.icon_emoji
        ? { ...base, icon_emoji: message.icon_emoji }
        : message.icon_url
          ? { ...base, icon_url: message.icon_url }
          : base;
      const res = await client.chat.postMessage(args);
      return this.delivered(res.ts, res.channel ?? channel);
    } catch (err) {
      return this.classifyApiError(err, last, secrets);
    }
  }

  /** `chat.update` of an earlier message; undefined when it is gone and a new post is needed. */
  private async tryUpdate(client: WebClient, channel: string, ts: string, message: SlackMessage): Promise<SendResult | undefined> {
    try {
      const res = await client.chat.update({ channel, ts, text: message.text, attachments: message.attachments });
      return this.delivered(res.ts ?? ts, res.channel ?? channel);
    } catch (err) {
      const e = asCoded(err);
      if (typeof e.data?.error === 'string' && UPDATE_FALLBACK_ERRORS.has(e.data.error)) return undefined;
      throw err;
    }
  }

  private delivered(ts: string | undefined, channel: string): SendResult {
    return {
      provider: SLACK_API_PROVIDER,
      providerStatus: 200,
      outcome: SendOutcome.Delivered,
      ...(ts ? { state: { ts, channel } } : {}),
    };
  }

  private classifyApiError(err: unknown, last: HttpResponse | undefined, secrets: string[]): SendResult {
    const e = asCoded(err);
    const now = this.clock.now();
    if (e.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string') {
      const code = e.data.error;
      if (RATE_LIMIT_ERRORS.has(code)) {
        return classifyHttpOutcome(
          { provider: SLACK_API_PROVIDER, status: 429, errorText: code, providerCode: code, retryAfter: last?.headers['retry-after'], secrets },
          now,
        );
      }
      return {
        provider: SLACK_API_PROVIDER,
        providerStatus: last?.status ?? 200,
        providerCode: code,
        outcome: SendOutcome.Poison,
        error: redactSecrets(code, secrets),
      };
    }
    if (e.code === 'slack_webapi_rate_limited_error') {
      const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : undefined;
      return classifyHttpOutcome(
        {
          provider: SLACK_API_PROVIDER,
          status: 429,
          providerCode: 'ratelimited',
          errorText: 'ratelimited',
          retryAfter: seconds !== undefined ? String(seconds) : last?.headers['retry-after'],
          secrets,
        },
        now,
      );
    }
    if (e.code === 'slack_webapi_http_error' && typeof e.statusCode === 'number') {
      return classifyHttpOutcome(
        {
          provider: SLACK_API_PROVIDER,
          status: e.statusCode,
          errorText: typeof e.body === 'string' ? e.body : String(e.message),
          retryAfter: last?.headers['retry-after'],
          secrets,
        },
        now,
      );
    }
    if (e.code === 'slack_webapi_request_error') {
      const transport = transportOf(e.original);
      return classifyHttpOutcome({ provider: SLACK_API_PROVIDER, transportFailure: transport.failure, errorText: transport.text, secrets }, now);
    }
    // A 429 without a usable Retry-After arrives as a plain error from the SDK.
    if (last?.status === 429) {
      return classifyHttpOutcome({ provider: SLACK_API_PROVIDER, status: 429, errorText: 'ratelimited', secrets }, now);
    }
    const transport = transportOf(err);
    return classifyHttpOutcome({ provider: SLACK_API_PROVIDER, transportFailure: transport.failure, errorText: transport.text, secrets }, now);
  }
}
