/**
 * Plain webhooks: POST Alertmanager's v4 JSON through the keep-alive client, with
 * `http_config` basic auth or an Authorization header. Classified by status like every
 * HTTP provider; the response body (cut short, redacted) is the error text.
 */
import type { Clock } from '../../common/clock.js';
import { Channel, type ChannelAdapter, type NotificationData, type SendContext, type SendResult } from '../channel-adapter.js';
import { classifyHttpOutcome } from '../classify.js';
import { httpRequest, HttpTransportError } from '../http/http-client.js';
import { buildWebhookPayload } from './webhook-payload.js';
import type { WebhookTarget } from './webhook.types.js';

export const WEBHOOK_PROVIDER = 'webhook';
const MAX_ERROR_BODY = 512;

function webhookSecrets(target: WebhookTarget): string[] {
  const secrets = [target.url];
  try {
    const url = new URL(target.url);
    if (url.password) secrets.push(url.password, decodeURIComponent(url.password));
    if (url.pathname.length > 1) secrets.push(url.pathname);
    for (const [, value] of url.searchParams) secrets.push(value);
  } catch {
    // redacted whole
  }
  const auth = target.httpConfig;
  if (auth?.basicAuth) secrets.push(auth.basicAuth.password, `${auth.basicAuth.username}:${auth.basicAuth.password}`);
  if (auth?.authorization) secrets.push(auth.authorization.credentials);
  return secrets;
}

function authHeader(target: WebhookTarget): Record<string, string> {
  const auth = target.httpConfig;
  if (auth?.authorization) {
    return { authorization: `${auth.authorization.type ?? 'Bearer'} ${auth.authorization.credentials}` };
  }
  if (auth?.basicAuth) {
    const token = Buffer.from(`${auth.basicAuth.username}:${auth.basicAuth.password}`).toString('base64');
    return { authorization: `Basic ${token}` };
  }
  return {};
}

export class WebhookAdapter implements ChannelAdapter<WebhookTarget> {
  readonly channel = Channel.Webhook;

  constructor(private readonly clock: Clock) {}

  async send(target: WebhookTarget, data: NotificationData, ctx: SendContext): Promise<SendResult> {
    const secrets = webhookSecrets(target);
    const timeoutMs = target.timeoutMs !== undefined ? Math.min(target.timeoutMs, ctx.timeoutMs) : ctx.timeoutMs;
    try {
      const res = await httpRequest({
        url: target.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Tocsin', ...authHeader(target) },
        body: JSON.stringify(buildWebhookPayload(data, target.maxAlerts ?? 0)),
        signal: ctx.signal,
        timeoutMs,
      });
      const ok = res.status >= 200 && res.status < 300;
      return classifyHttpOutcome(
        {
          provider: WEBHOOK_PROVIDER,
          status: res.status,
          ...(ok ? {} : { errorText: res.body.slice(0, MAX_ERROR_BODY) || res.statusText }),
          retryAfter: res.headers['retry-after'],
          secrets,
        },
        this.clock.now(),
      );
    } catch (err) {
      if (!(err instanceof HttpTransportError)) throw err;
      return classifyHttpOutcome(
        { provider: WEBHOOK_PROVIDER, transportFailure: err.failure, errorText: err.message, secrets },
        this.clock.now(),
      );
    }
  }
}
