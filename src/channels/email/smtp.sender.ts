/**
 * SMTP through nodemailer: 4xx → retry, 5xx → poison (authentication failures are reported as
 * such so failover can use them), connection trouble and timeouts → retry. A recipient refused
 * while the server still resolves the send (partial accept) is read from `info.rejected`.
 */
import nodemailer from 'nodemailer';
import { SendOutcome } from '../channel-adapter.js';
import { FailureReason, resultForFailure } from '../classify.js';
import { redactSecrets } from '../redact.js';
import type { EmailSender, ProviderAttempt } from './email-attempt.js';
import type { SmtpSettings } from './email.types.js';

export const SMTP_PROVIDER = 'smtp';

const TIMEOUT_CODES = new Set(['ETIMEDOUT']);
const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ETLS', 'EPROTOCOL']);

interface SmtpErrorShape {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
  message?: unknown;
}

/** The failure kind of an SMTP error. */
export function smtpFailureReason(err: SmtpErrorShape): FailureReason {
  const code = typeof err.code === 'string' ? err.code : '';
  const responseCode = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  if (code === 'EAUTH' || responseCode === 535 || responseCode === 534 || responseCode === 530) return FailureReason.Authentication;
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) return FailureReason.ServerError;
  if (responseCode !== undefined && responseCode >= 500) return FailureReason.Rejected;
  if (TIMEOUT_CODES.has(code)) return FailureReason.Timeout;
  if (CONNECTION_CODES.has(code)) return FailureReason.Connection;
  return FailureReason.Connection;
}

function failed(err: SmtpErrorShape, secrets: string[], reason = smtpFailureReason(err)): ProviderAttempt {
  const responseCode = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const text = typeof err.response === 'string' && err.response !== '' ? err.response : String(err.message ?? 'SMTP error');
  const base = {
    provider: SMTP_PROVIDER,
    ...(responseCode !== undefined ? { providerStatus: responseCode } : {}),
    ...(typeof err.code === 'string' ? { providerCode: err.code } : {}),
  };
  return { result: resultForFailure(reason, base, redactSecrets(text, secrets)), reason };
}

export const sendViaSmtp: EmailSender<SmtpSettings> = async (settings, email, ctx) => {
  const secrets = settings.password ? [settings.password] : [];
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTls ?? false,
    ...(settings.hello ? { name: settings.hello } : {}),
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
  });
  const aborted = new Promise<ProviderAttempt>((resolve) => {
    const onAbort = (): void =>
      resolve(failed({ code: 'ETIMEDOUT', message: 'SMTP attempt timed out' }, [], FailureReason.Timeout));
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  const sending = (async (): Promise<ProviderAttempt> => {
    try {
      const info = await transport.sendMail({
        from: settings.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        headers: email.headers,
      });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length > 0) {
        const first = (info.rejectedErrors ?? [])[0] as SmtpErrorShape | undefined;
        return failed(first ?? { responseCode: 550, response: `recipient ${rejected.join(', ')} rejected` }, secrets);
      }
      return { result: { provider: SMTP_PROVIDER, providerStatus: 250, outcome: SendOutcome.Delivered } };
    } catch (err) {
      return failed((typeof err === 'object' && err !== null ? err : { message: String(err) }) as SmtpErrorShape, secrets);
    }
  })();
  try {
    return await Promise.race([sending, aborted]);
  } finally {
    transport.close();
  }
};
