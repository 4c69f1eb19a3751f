/**
 * Twilio Messages double: `POST /2010-04-01/Accounts/{sid}/Messages.json` → 201 with a message
 * resource; errors in Twilio's JSON shape `{ code, message, more_info, status }`.
 */
import { type DoubleReply, type HttpDouble, startHttpDouble } from './http-double.js';

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

function twilioError(status: number, code: number, message: string, headers?: Record<string, string>): DoubleReply {
  return {
    status,
    ...(headers ? { headers } : {}),
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

export const twilioReplies = {
  invalidTo: (to = '+15005550001'): DoubleReply => twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`),
  authenticationError: twilioError(401, 20003, 'Authenticate'),
  rateLimited: (retryAfter?: string): DoubleReply =>
    twilioError(429, 20429, 'Too Many Requests', retryAfter !== undefined ? { 'retry-after': retryAfter } : undefined),
  serverError: twilioError(500, 20500, 'An internal server error has occurred'),
};

export interface TwilioDouble extends HttpDouble {
  /** Messages created: the form fields of each successful POST. */
  readonly messages: Array<Record<string, string>>;
}

export async function startTwilioDouble(): Promise<TwilioDouble> {
  let counter = 0;
  const double = await startHttpDouble((req): DoubleReply => {
    const match = MESSAGES_PATH.exec(req.path);
    if (req.method !== 'POST' || !match) return twilioError(404, 20404, 'The requested resource was not found');
    counter += 1;
    const sid = `SM${String(counter).padStart(32, '0')}`;
    return {
      status: 201,
      body: {
        sid,
        account_sid: match[1],
        to: req.form.get('To'),
        from: req.form.get('From'),
        messaging_service_sid: req.form.get('MessagingServiceSid'),
        body: req.form.get('Body'),
        status: 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: new Date().toUTCString(),
        error_code: null,
        error_message: null,
        uri: `/2010-04-01/Accounts/${match[1]}/Messages/${sid}.json`,
      },
    };
  });
  return Object.defineProperty(double, 'messages', {
    get: () => double.requests.filter((r) => MESSAGES_PATH.test(r.path)).map((r) => Object.fromEntries(r.form.entries())),
  }) as TwilioDouble;
}
