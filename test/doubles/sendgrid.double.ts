/** SendGrid v3 double: `POST /v3/mail/send` → 202 with `x-message-id`; errors as `{ errors: [{ message, field, help }] }`. */
import { type DoubleReply, type HttpDouble, startHttpDouble } from './http-double.js';

function sendgridError(status: number, message: string, field: string | null, headers?: Record<string, string>): DoubleReply {
  return { status, ...(headers ? { headers } : {}), body: { errors: [{ message, field, help: null }] } };
}

export const sendgridReplies = {
  invalidTo: sendgridError(
    400,
    'Does not contain a valid address.',
    'personalizations.0.to.0.email',
  ),
  invalidPayload: sendgridError(400, 'The subject is required.', 'subject'),
  unauthorized: sendgridError(401, 'The provided authorization grant is invalid, expired, or revoked', null),
  tooLarge: sendgridError(413, 'The JSON payload you have included in your request is too large.', null),
  rateLimited: (retryAfter?: string): DoubleReply =>
    sendgridError(429, 'too many requests', null, retryAfter !== undefined ? { 'retry-after': retryAfter } : undefined),
  serverError: sendgridError(500, 'internal server error', null),
};

export async function startSendGridDouble(): Promise<HttpDouble> {
  let counter = 0;
  return startHttpDouble((req): DoubleReply => {
    if (req.method !== 'POST' || req.path !== '/v3/mail/send') return sendgridError(404, 'not found', null);
    counter += 1;
    return { status: 202, headers: { 'x-message-id': `tocsin-msg-${counter}` } };
  });
}
