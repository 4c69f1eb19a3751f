/**
 * SendGrid v3 mail send through `@sendgrid/mail` with a Client of our own: base URL, timeout,
 * the attempt's abort signal and our keep-alive agents. Classified by HTTP status.
 */
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { SendOutcome } from '../channel-adapter.js';
import { classifyHttpOutcome, failureReasonOf, TransportFailure } from '../classify.js';
import { keepAliveAgents } from '../http/http-client.js';
import type { EmailSender } from './email-attempt.js';
import { SENDGRID_DEFAULT_BASE_URL, type SendGridSettings } from './email.types.js';

export const SENDGRID_PROVIDER = 'sendgrid';

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED']);

interface SendGridErrorShape {
  code?: unknown;
  message?: unknown;
  response?: { body?: unknown; headers?: Record<string, unknown> };
}

/** SendGrid's `{ errors: [{ message, field }] }` as one line. */
export function sendGridErrorText(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return typeof body === 'string' && body !== '' ? body : undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return undefined;
  return errors
    .map((e: { message?: unknown; field?: unknown }) =>
      typeof e.field === 'string' && e.field !== '' ? `${String(e.message)} (${e.field})` : String(e.message),
    )
    .join('; ');
}

export const sendViaSendGrid: EmailSender<SendGridSettings> = async (settings, email, ctx, now) => {
  const client = new Client();
  client.setApiKey(settings.apiKey);
  client.setDefaultRequest('baseUrl', settings.baseUrl ?? SENDGRID_DEFAULT_BASE_URL);
  client.setDefaultRequest('httpsAgent', keepAliveAgents.https);
  // Passed through to axios as they are; the SDK's typings list only a few request keys.
  const setAxiosDefault = client.setDefaultRequest.bind(client) as (key: string, value: unknown) => Client;
  setAxiosDefault('httpAgent', keepAliveAgents.http);
  setAxiosDefault('timeout', ctx.timeoutMs);
  setAxiosDefault('signal', ctx.signal);
  const mail = new MailService();
  mail.setClient(client);
  const secrets = [settings.apiKey];
  try {
    const [res] = await mail.send({
      from: settings.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      ...(Object.keys(email.headers).length > 0 ? { headers: email.headers } : {}),
    });
    return { result: classifyHttpOutcome({ provider: SENDGRID_PROVIDER, status: res.statusCode }, now()) };
  } catch (err) {
    const e = (typeof err === 'object' && err !== null ? err : {}) as SendGridErrorShape;
    if (e.response && typeof e.code === 'number') {
      const retryAfter = e.response.headers?.['retry-after'];
      const result = classifyHttpOutcome(
        {
          provider: SENDGRID_PROVIDER,
          status: e.code,
          errorText: sendGridErrorText(e.response.body) ?? String(e.message),
          retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
          secrets,
        },
        now(),
      );
      return { result, reason: failureReasonOf({ status: e.code }) };
    }
    const code = typeof e.code === 'string' ? e.code : undefined;
    const failure = code && TIMEOUT_CODES.has(code) ? TransportFailure.Timeout : TransportFailure.Connection;
    const result = classifyHttpOutcome(
      {
        provider: SENDGRID_PROVIDER,
        transportFailure: failure,
        errorText: `${code ? `${code}: ` : ''}${typeof e.message === 'string' ? e.message : String(err)}`,
        secrets,
      },
      now(),
    );
    return result.outcome === SendOutcome.Delivered ? { result } : { result, reason: failureReasonOf({ transportFailure: failure }) };
  }
};
