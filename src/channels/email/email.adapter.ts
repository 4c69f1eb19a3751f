/**
 * Email through SendGrid or SMTP, with failover: when the primary provider fails for a
 * provider-side reason (5xx, timeout, connection, authentication) the fallback is tried at once
 * within the same attempt; the result names the provider that answered last and lists the
 * failed try in `previous`. Recipient errors poison without failover.
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
import { isProviderSideFailure } from '../classify.js';
import { redactSecrets } from '../redact.js';
import { renderOverride } from '../templates/template-field.js';
import type { OutgoingEmail, ProviderAttempt } from './email-attempt.js';
import { buildEmailContent, type EmailContent } from './email-message.js';
import { EmailProvider, type EmailProviderSettings, type EmailTarget } from './email.types.js';
import { sendViaSendGrid } from './sendgrid.sender.js';
import { sendViaSmtp } from './smtp.sender.js';

function secretsOf(settings: EmailProviderSettings | undefined): string[] {
  if (!settings) return [];
  return settings.provider === EmailProvider.SendGrid ? [settings.apiKey] : settings.password ? [settings.password] : [];
}

/** The email a target sends for the notification, its template overrides rendered (the `template render` CLI previews the same). */
export function renderEmailFor(target: EmailTarget, data: NotificationData): OutgoingEmail {
  const overrides: Partial<EmailContent> = {};
  const subject = renderOverride(target.subject, data);
  const text = renderOverride(target.text, data);
  const html = renderOverride(target.html, data);
  if (subject) overrides.subject = subject;
  if (text) overrides.text = text;
  if (html) overrides.html = html;
  const content = buildEmailContent(data, overrides);
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(target.headers ?? {})) {
    const value = renderOverride(template, data);
    if (value) headers[name] = value.replace(/[\r\n]+/g, ' ');
  }
  return { from: target.primary.from, to: target.to, ...content, headers };
}

export class EmailAdapter implements ChannelAdapter<EmailTarget> {
  readonly channel = Channel.Email;

  constructor(private readonly clock: Clock) {}

  render(target: EmailTarget, data: NotificationData): OutgoingEmail {
    return renderEmailFor(target, data);
  }

  async send(target: EmailTarget, data: NotificationData, ctx: SendContext): Promise<SendResult> {
    let email: OutgoingEmail;
    try {
      email = this.render(target, data);
    } catch (err) {
      const secrets = [...secretsOf(target.primary), ...secretsOf(target.fallback)];
      return { provider: target.primary.provider, outcome: SendOutcome.Poison, error: redactSecrets(`message template failed: ${String(err)}`, secrets) };
    }
    const first = await this.sendVia(target.primary, email, ctx);
    if (first.result.outcome === SendOutcome.Delivered || !target.fallback || !isProviderSideFailure(first.reason)) {
      return first.result;
    }
    const fallback = target.fallback;
    // The fallback gets its own budget: the primary may have used up the attempt's signal by timing out.
    const fallbackCtx: SendContext = ctx.signal.aborted ? { ...ctx, signal: AbortSignal.timeout(ctx.timeoutMs) } : ctx;
    const second = await this.sendVia(fallback, { ...email, from: fallback.from }, fallbackCtx);
    return { ...second.result, previous: [...(first.result.previous ?? []), first.result] };
  }

  private sendVia(settings: EmailProviderSettings, email: OutgoingEmail, ctx: SendContext): Promise<ProviderAttempt> {
    const now = (): Date => this.clock.now();
    switch (settings.provider) {
      case EmailProvider.SendGrid:
        return sendViaSendGrid(settings, email, ctx, now);
      case EmailProvider.Smtp:
        return sendViaSmtp(settings, email, ctx, now);
    }
  }
}
