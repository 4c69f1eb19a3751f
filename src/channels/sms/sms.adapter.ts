/**
 * SMS through Twilio's Messages API with the official SDK (its retries off, our request client
 * for base URL, headers and abort). 21211 (invalid `To`) → poison with Twilio's message; 20003
 * (authentication) → poison naming the config keys to fix; 429/20429 → retry after Retry-After.
 */
import twilio from 'twilio';
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
import { redactSecrets } from '../redact.js';
import { renderOverride } from '../templates/template-field.js';
import { buildSmsText } from './sms-message.js';
import type { SmsTarget } from './sms.types.js';
import { TocsinTwilioRequestClient, TwilioHttpError } from './twilio-request-client.js';

export const TWILIO_PROVIDER = 'twilio';
export const TWILIO_AUTH_ERROR = 20003;
export const TWILIO_RATE_LIMIT_ERROR = 20429;

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED', 'ESOCKETTIMEDOUT']);

/** The text a target sends for the notification, its `message` override rendered (the `template render` CLI previews the same). */
export function smsTextFor(target: SmsTarget, data: NotificationData): string {
  return buildSmsText(data, renderOverride(target.message, data));
}

export class SmsAdapter implements ChannelAdapter<SmsTarget> {
  readonly channel = Channel.Sms;

  constructor(private readonly clock: Clock) {}

  async send(target: SmsTarget, data: NotificationData, ctx: SendContext): Promise<SendResult> {
    const secrets = [target.authToken];
    let body: string;
    try {
      body = smsTextFor(target, data);
    } catch (err) {
      return { provider: TWILIO_PROVIDER, outcome: SendOutcome.Poison, error: redactSecrets(`message template failed: ${String(err)}`, secrets) };
    }
    if (!target.accountSid || !target.authToken) {
      return { provider: TWILIO_PROVIDER, outcome: SendOutcome.Poison, error: 'channels.sms.account_sid and channels.sms.auth_token must be set' };
    }
    if (!target.from && !target.messagingServiceSid) {
      return { provider: TWILIO_PROVIDER, outcome: SendOutcome.Poison, error: 'channels.sms needs from or messaging_service_sid' };
    }
    const client = twilio(target.accountSid, target.authToken, {
      httpClient: new TocsinTwilioRequestClient(target.baseUrl, ctx.timeoutMs, ctx.signal),
      autoRetry: false,
    });
    try {
      const message = await client.messages.create({
        to: target.to,
        body,
        ...(target.messagingServiceSid ? { messagingServiceSid: target.messagingServiceSid } : { from: target.from }),
      });
      return {
        provider: TWILIO_PROVIDER,
        providerStatus: 201,
        outcome: SendOutcome.Delivered,
        state: { sid: message.sid },
      };
    } catch (err) {
      return this.classifyError(err, secrets);
    }
  }

  private classifyError(err: unknown, secrets: string[]): SendResult {
    const now = this.clock.now();
    if (err instanceof TwilioHttpError) {
      const providerCode = err.code !== undefined ? String(err.code) : undefined;
      if (err.code === TWILIO_AUTH_ERROR || err.status === 401) {
        return {
          provider: TWILIO_PROVIDER,
          providerStatus: err.status,
          ...(providerCode ? { providerCode } : {}),
          outcome: SendOutcome.Poison,
          error: redactSecrets(
            `Twilio rejected the credentials (${providerCode ?? err.status} ${err.message}): check channels.sms.account_sid and channels.sms.auth_token`,
            secrets,
          ),
        };
      }
      return classifyHttpOutcome(
        {
          provider: TWILIO_PROVIDER,
          // Twilio's own rate-limit code counts as 429 whatever the status says.
          status: err.code === TWILIO_RATE_LIMIT_ERROR ? 429 : err.status,
          errorText: err.message,
          retryAfter: err.retryAfter,
          ...(providerCode ? { providerCode } : {}),
          secrets,
        },
        now,
      );
    }
    const { code, message } = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown };
    const text = `${typeof code === 'string' ? `${code}: ` : ''}${typeof message === 'string' ? message : String(err)}`;
    const failure = typeof code === 'string' && TIMEOUT_CODES.has(code) ? TransportFailure.Timeout : TransportFailure.Connection;
    return classifyHttpOutcome({ provider: TWILIO_PROVIDER, transportFailure: failure, errorText: text, secrets }, now);
  }
}
