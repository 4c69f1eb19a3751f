/** PagerDuty Events API v2 double: `POST /v2/enqueue` → 202 `{ status: "success", dedup_key }`. */
import { type DoubleReply, type HttpDouble, startHttpDouble } from './http-double.js';

export const pagerDutyReplies = {
  invalidEvent: (errors: string[] = ["'routing_key' is invalid"]): DoubleReply => ({
    status: 400,
    body: { status: 'invalid event', message: 'Event object is invalid', errors },
  }),
  rateLimited: (retryAfter?: string): DoubleReply => ({
    status: 429,
    ...(retryAfter !== undefined ? { headers: { 'retry-after': retryAfter } } : {}),
    body: { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' },
  }),
  serverError: { status: 500, body: 'Internal Server Error' } satisfies DoubleReply,
};

export interface PagerDutyDouble extends HttpDouble {
  /** Full `events_url`. */
  readonly eventsUrl: string;
}

export async function startPagerDutyDouble(): Promise<PagerDutyDouble> {
  const double = await startHttpDouble((req): DoubleReply => {
    if (req.method !== 'POST' || req.path !== '/v2/enqueue') return { status: 404, body: 'Not Found' };
    const event = (req.json ?? {}) as { dedup_key?: string };
    return {
      status: 202,
      body: { status: 'success', message: 'Event processed', dedup_key: event.dedup_key ?? 'generated-dedup-key' },
    };
  });
  return Object.assign(double, { eventsUrl: `${double.url}/v2/enqueue` });
}
