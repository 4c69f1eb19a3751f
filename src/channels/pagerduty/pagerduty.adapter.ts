/**
 * PagerDuty Events API v2 over plain HTTP (no SDK fits: pdjs hard-codes https and retries by
 * itself): one POST of the event to `events_url` through the keep-alive client; 202 → delivered,
 * 400 → poison with PagerDuty's `errors`, 429 and 5xx → retry.
 */
import type { Clock } from '../../common/clock.js';
import {
  Channel,
  type ChannelAdapter,
  type NotificationData,
  type SendContext,
  SendOutcome,
  type SendResult,
} from '../channel-adapter.js';
import { classifyHttpOutcome } from '../classify.js';
import { httpRequest, HttpTransportError } from '../http/http-client.js';
import { redactSecrets } from '../redact.js';
import { renderOverride } from '../templates/template-field.js';
import { buildPagerDutyEvent, type PagerDutyEvent, type PagerDutyEventOverrides } from './pagerduty-event.js';
import { PAGERDUTY_DEFAULT_EVENTS_URL, type PagerDutyTarget } from './pagerduty.types.js';

export const PAGERDUTY_PROVIDER = 'pagerduty';

/** PagerDuty's error body: `{ status, message, errors: [...] }`. */
export function pagerDutyErrorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { status?: unknown; message?: unknown; errors?: unknown };
    const parts: string[] = [];
    if (typeof parsed.message === 'string') parts.push(parsed.message);
    else if (typeof parsed.status === 'string') parts.push(parsed.status);
    if (Array.isArray(parsed.errors)) parts.push(...parsed.errors.map((e) => String(e)));
    if (parts.length > 0) return parts.join(': ');
  } catch {
    // not JSON: the body as it came
  }
  return body;
}

/** The event a target sends for the notification, its template overrides rendered (the `template render` CLI previews the same). */
export function pagerDutyEventFor(target: PagerDutyTarget, data: NotificationData): PagerDutyEvent {
  const overrides: PagerDutyEventOverrides = {};
  const render = (key: Exclude<keyof PagerDutyEventOverrides, 'details' | 'links' | 'images'>, field: PagerDutyTarget['summary']): void => {
    const value = renderOverride(field, data);
    if (value) overrides[key] = value;
  };
  render('summary', target.summary);
  render('client', target.client);
  render('clientUrl', target.clientUrl);
  render('source', target.source);
  render('severity', target.severity);
  render('class', target.class);
  render('component', target.component);
  render('group', target.group);
  if (target.details && Object.keys(target.details).length > 0) {
    overrides.details = Object.fromEntries(
      Object.entries(target.details).map(([key, template]) => [key, renderOverride(template, data) ?? '']),
    );
  }
  if (target.links && target.links.length > 0) overrides.links = target.links;
  if (target.images && target.images.length > 0) overrides.images = target.images;
  return buildPagerDutyEvent(data, target.routingKey, overrides);
}

export class PagerDutyAdapter implements ChannelAdapter<PagerDutyTarget> {
  readonly channel = Channel.PagerDuty;

  constructor(private readonly clock: Clock) {}

  buildEvent(target: PagerDutyTarget, data: NotificationData): PagerDutyEvent {
    return pagerDutyEventFor(target, data);
  }

  async send(target: PagerDutyTarget, data: NotificationData, ctx: SendContext): Promise<SendResult> {
    const secrets = [target.routingKey];
    let event: PagerDutyEvent;
    try {
      event = this.buildEvent(target, data);
    } catch (err) {
      return { provider: PAGERDUTY_PROVIDER, outcome: SendOutcome.Poison, error: redactSecrets(`message template failed: ${String(err)}`, secrets) };
    }
    try {
      const res = await httpRequest({
        url: target.eventsUrl ?? PAGERDUTY_DEFAULT_EVENTS_URL,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(event),
        signal: ctx.signal,
        timeoutMs: ctx.timeoutMs,
      });
      const ok = res.status >= 200 && res.status < 300;
      return classifyHttpOutcome(
        {
          provider: PAGERDUTY_PROVIDER,
          status: res.status,
          ...(ok ? {} : { errorText: pagerDutyErrorText(res.body) }),
          retryAfter: res.headers['retry-after'],
          secrets,
        },
        this.clock.now(),
      );
    } catch (err) {
      if (!(err instanceof HttpTransportError)) throw err;
      return classifyHttpOutcome(
        { provider: PAGERDUTY_PROVIDER, transportFailure: err.failure, errorText: err.message, secrets },
        this.clock.now(),
      );
    }
  }
}
