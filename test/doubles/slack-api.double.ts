/**
 * Slack Web API double: `POST /api/chat.postMessage` and `/api/chat.update` answer HTTP 200 with
 * `{ ok: true, channel, ts }`, or `{ ok: false, error }` as Slack does; 429 + Retry-After for
 * rate limits. Point the SDK at `apiUrl` (`http://127.0.0.1:P/api/`).
 */
import { type DoubleReply, type HttpDouble, type RecordedRequest, startHttpDouble } from './http-double.js';

export const SLACK_CHANNEL_ID = 'C0TOCSIN01';

/** Reads a Web API call's arguments whether the SDK sent a form or JSON. */
export function slackArgs(req: RecordedRequest): Record<string, string> {
  if (req.json !== undefined && req.json !== null && typeof req.json === 'object') {
    return Object.fromEntries(
      Object.entries(req.json as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  }
  return Object.fromEntries(req.form.entries());
}

export const slackApiReplies = {
  error: (error: string): DoubleReply => ({ status: 200, body: { ok: false, error } }),
  channelNotFound: { status: 200, body: { ok: false, error: 'channel_not_found' } } satisfies DoubleReply,
  invalidAuth: { status: 200, body: { ok: false, error: 'invalid_auth' } } satisfies DoubleReply,
  invalidBlocks: { status: 200, body: { ok: false, error: 'invalid_blocks' } } satisfies DoubleReply,
  messageNotFound: { status: 200, body: { ok: false, error: 'message_not_found' } } satisfies DoubleReply,
  rateLimited: (retryAfter = '30'): DoubleReply => ({
    status: 429,
    headers: { 'retry-after': retryAfter },
    body: { ok: false, error: 'ratelimited' },
  }),
  serverError: { status: 500, body: 'internal_error' } satisfies DoubleReply,
};

export interface SlackApiDouble extends HttpDouble {
  /** Base URL for the Web API SDK (`slackApiUrl`), ending in `/api/`. */
  readonly apiUrl: string;
  /** Calls made to one method (`chat.postMessage`, `chat.update`). */
  calls(method: string): RecordedRequest[];
}

export async function startSlackApiDouble(): Promise<SlackApiDouble> {
  let counter = 0;
  const double = await startHttpDouble((req): DoubleReply => {
    const args = slackArgs(req);
    if (req.path === '/api/chat.postMessage') {
      counter += 1;
      const ts = `1767225600.${String(counter).padStart(6, '0')}`;
      return { status: 200, body: { ok: true, channel: SLACK_CHANNEL_ID, ts, message: { text: args.text ?? '', ts } } };
    }
    if (req.path === '/api/chat.update') {
      return { status: 200, body: { ok: true, channel: args.channel, ts: args.ts, text: args.text ?? '' } };
    }
    return { status: 200, body: { ok: false, error: 'unknown_method' } };
  });
  return Object.assign(double, {
    apiUrl: `${double.url}/api/`,
    calls: (method: string) => double.requests.filter((r) => r.path === `/api/${method}`),
  });
}
