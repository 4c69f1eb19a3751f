/**
 * From the running config to the channel adapters: the delivery targets of a receiver (one per
 * `*_configs` entry, one per address for email and SMS), the adapter settings of one target
 * found again by receiver name and target key (secrets never leave the config), and the
 * adapters themselves.
 *
 * Precedence (receiver `*_configs` → `channels.<channel>` → `global`) is applied by the config
 * loader for the keys it merges (URLs, tokens, `from`); the provider settings that live only in
 * `channels.<channel>` (Twilio credentials, the email provider and its fallback) are joined here.
 */
import type { Logger } from 'pino';
import type { Clock } from '../common/clock.js';
import {
  EmailTransport,
  type EmailProviderConfig,
  type ReceiverConfig,
  type TemplateField,
  type TocsinConfig,
} from '../config/config.types.js';
import { Channel, type ChannelAdapter } from './channel-adapter.js';
import { EmailAdapter } from './email/email.adapter.js';
import { EmailProvider, type EmailProviderSettings, type EmailTarget } from './email/email.types.js';
import { LogAdapter, type LogTarget } from './log/log.adapter.js';
import { PagerDutyAdapter } from './pagerduty/pagerduty.adapter.js';
import type { PagerDutyTarget } from './pagerduty/pagerduty.types.js';
import { urlOrigin } from './redact.js';
import { SlackAdapter } from './slack/slack.adapter.js';
import type { SlackTarget } from './slack/slack.types.js';
import { SmsAdapter } from './sms/sms.adapter.js';
import type { SmsTarget } from './sms/sms.types.js';
import type { CompiledTemplate } from './templates/template-engine.js';
import { WebhookAdapter } from './webhook/webhook.adapter.js';
import type { WebhookTarget } from './webhook/webhook.types.js';

export interface DeliveryTarget {
  channel: Channel;
  /** Human-readable, never a secret. */
  recipient: string;
  /** Names the target within its receiver: `slack_configs[0]`, `email_configs[1]:oncall@example.com`. */
  targetKey: string;
  sendResolved: boolean;
}

/** The settings one adapter needs for one target (its `send`'s first argument). */
export type AdapterTarget = SlackTarget | PagerDutyTarget | SmsTarget | EmailTarget | WebhookTarget | LogTarget;

const CONFIG_KEYS = {
  slack_configs: Channel.Slack,
  pagerduty_configs: Channel.PagerDuty,
  email_configs: Channel.Email,
  sms_configs: Channel.Sms,
  webhook_configs: Channel.Webhook,
  log_configs: Channel.Log,
} as const;

type ConfigKey = keyof typeof CONFIG_KEYS;

function isConfigKey(value: string): value is ConfigKey {
  return Object.prototype.hasOwnProperty.call(CONFIG_KEYS, value);
}

/** The channel a target key belongs to, or undefined for a malformed key. */
export function channelOfTargetKey(targetKey: string): Channel | undefined {
  const parsed = parseTargetKey(targetKey);
  return parsed ? CONFIG_KEYS[parsed.kind] : undefined;
}

export function parseTargetKey(targetKey: string): { kind: ConfigKey; index: number; address?: string } | undefined {
  const match = /^([a-z_]+)\[(\d+)\](?::(.+))?$/.exec(targetKey);
  if (!match || !isConfigKey(match[1])) return undefined;
  return { kind: match[1], index: Number(match[2]), ...(match[3] !== undefined ? { address: match[3] } : {}) };
}

export function slackRecipient(channel: string | null, receiver: string): string {
  return channel ?? `slack:${receiver}`;
}

export function listTargets(receiverName: string, config: TocsinConfig): DeliveryTarget[] {
  const r = config.receivers.find((x) => x.name === receiverName);
  if (!r) return [];
  const out: DeliveryTarget[] = [];
  r.slack_configs.forEach((c, i) =>
    out.push({ channel: Channel.Slack, recipient: slackRecipient(c.channel, receiverName), targetKey: `slack_configs[${i}]`, sendResolved: c.send_resolved }),
  );
  r.pagerduty_configs.forEach((c, i) =>
    out.push({
      channel: Channel.PagerDuty,
      recipient: `pagerduty:${c.service_name ?? receiverName}`,
      targetKey: `pagerduty_configs[${i}]`,
      sendResolved: c.send_resolved,
    }),
  );
  r.email_configs.forEach((c, i) =>
    c.to.forEach((to) => out.push({ channel: Channel.Email, recipient: to, targetKey: `email_configs[${i}]:${to}`, sendResolved: c.send_resolved })),
  );
  r.sms_configs.forEach((c, i) =>
    c.to.forEach((to) => out.push({ channel: Channel.Sms, recipient: to, targetKey: `sms_configs[${i}]:${to}`, sendResolved: c.send_resolved })),
  );
  r.webhook_configs.forEach((c, i) =>
    out.push({ channel: Channel.Webhook, recipient: urlOrigin(c.url), targetKey: `webhook_configs[${i}]`, sendResolved: c.send_resolved }),
  );
  r.log_configs.forEach((c, i) =>
    out.push({ channel: Channel.Log, recipient: `log:${receiverName}`, targetKey: `log_configs[${i}]`, sendResolved: c.send_resolved }),
  );
  return out;
}

function template(field: TemplateField | undefined): CompiledTemplate | undefined {
  return field?.compiled ?? undefined;
}

function emailProvider(settings: EmailProviderConfig, from: string): EmailProviderSettings {
  if (settings.provider === 'sendgrid') {
    return {
      provider: EmailProvider.SendGrid,
      apiKey: settings.api_key ?? '',
      from: settings.from ?? from,
      ...(settings.base_url ? { baseUrl: settings.base_url } : {}),
    };
  }
  return {
    provider: EmailProvider.Smtp,
    host: settings.host ?? 'localhost',
    port: settings.port,
    secure: settings.secure,
    requireTls: settings.require_tls,
    ...(settings.user ? { user: settings.user } : {}),
    ...(settings.password ? { password: settings.password } : {}),
    from: settings.from ?? from,
  };
}

function resolveIn(config: TocsinConfig, receiver: ReceiverConfig, kind: ConfigKey, index: number, address?: string): AdapterTarget | undefined {
  const name = receiver.name;
  switch (kind) {
    case 'slack_configs': {
      const c = receiver.slack_configs[index];
      if (!c) return undefined;
      const t: SlackTarget = { receiver: name, apiBaseUrl: c.api_base_url };
      if (c.bot_token) t.botToken = c.bot_token;
      else if (c.api_url) t.webhookUrl = c.api_url;
      if (c.channel) t.channel = c.channel;
      if (c.icon_emoji) t.iconEmoji = c.icon_emoji;
      if (c.icon_url) t.iconUrl = c.icon_url;
      const fields = {
        title: template(c.templates.title),
        titleLink: template(c.templates.title_link),
        text: template(c.templates.text),
        color: template(c.templates.color),
        pretext: template(c.templates.pretext),
        fallback: template(c.templates.fallback),
        footer: template(c.templates.footer),
        username: template(c.templates.username),
      };
      for (const [key, value] of Object.entries(fields)) if (value) Object.assign(t, { [key]: value });
      return t;
    }
    case 'pagerduty_configs': {
      const c = receiver.pagerduty_configs[index];
      if (!c) return undefined;
      const t: PagerDutyTarget = { receiver: name, routingKey: c.routing_key, eventsUrl: c.events_url };
      if (c.service_name) t.serviceName = c.service_name;
      const links = c.links.filter((l) => l.href).map((l) => ({ href: l.href ?? '', ...(l.text ? { text: l.text } : {}) }));
      if (links.length > 0) t.links = links;
      const images = c.images
        .filter((i) => i.src)
        .map((i) => ({ src: i.src ?? '', ...(i.alt ? { alt: i.alt } : {}), ...(i.href ? { href: i.href } : {}) }));
      if (images.length > 0) t.images = images;
      const fields = {
        summary: template(c.templates.summary),
        client: template(c.templates.client),
        clientUrl: template(c.templates.client_url),
        source: template(c.templates.source),
        severity: template(c.templates.severity),
        class: template(c.templates.class),
        component: template(c.templates.component),
        group: template(c.templates.group),
      };
      for (const [key, value] of Object.entries(fields)) if (value) Object.assign(t, { [key]: value });
      const details = Object.entries(c.details).flatMap(([key, field]): Array<[string, CompiledTemplate]> => {
        const compiled = template(field);
        return compiled ? [[key, compiled]] : [];
      });
      if (details.length > 0) t.details = Object.fromEntries(details);
      return t;
    }
    case 'email_configs': {
      const c = receiver.email_configs[index];
      if (!c || address === undefined || !c.to.includes(address)) return undefined;
      const from = c.from ?? config.channels.email.from ?? config.global.smtp_from ?? '';
      let primary: EmailProviderSettings;
      let fallback: EmailProviderSettings | undefined;
      if (c.transport === EmailTransport.Smtp && c.smtp) {
        primary = {
          provider: EmailProvider.Smtp,
          host: c.smtp.host,
          port: c.smtp.port,
          // Alertmanager's smarthost: implicit TLS on 465, STARTTLS as the server offers (required with require_tls).
          secure: c.smtp.port === 465,
          requireTls: c.smtp.require_tls,
          ...(c.smtp.username ? { user: c.smtp.username } : {}),
          ...(c.smtp.password ? { password: c.smtp.password } : {}),
          ...(c.smtp.hello ? { hello: c.smtp.hello } : {}),
          from,
        };
      } else {
        primary = emailProvider(config.channels.email, from);
        if (config.channels.email.fallback) fallback = emailProvider(config.channels.email.fallback, from);
      }
      const t: EmailTarget = { receiver: name, to: address, primary };
      if (fallback) t.fallback = fallback;
      const subject = template(c.templates.subject);
      const text = template(c.templates.text);
      const html = template(c.templates.html);
      if (subject) t.subject = subject;
      if (text) t.text = text;
      if (html) t.html = html;
      const headers = Object.entries(c.headers).flatMap(([key, field]): Array<[string, CompiledTemplate]> => {
        const compiled = template(field);
        return compiled ? [[key, compiled]] : [];
      });
      if (headers.length > 0) t.headers = Object.fromEntries(headers);
      return t;
    }
    case 'sms_configs': {
      const c = receiver.sms_configs[index];
      if (!c || address === undefined || !c.to.includes(address)) return undefined;
      const sms = config.channels.sms;
      const t: SmsTarget = { receiver: name, to: address, accountSid: sms.account_sid ?? '', authToken: sms.auth_token ?? '' };
      const from = c.from ?? sms.from;
      if (from) t.from = from;
      if (sms.messaging_service_sid) t.messagingServiceSid = sms.messaging_service_sid;
      if (sms.base_url) t.baseUrl = sms.base_url;
      const message = template(c.templates.message);
      if (message) t.message = message;
      return t;
    }
    case 'webhook_configs': {
      const c = receiver.webhook_configs[index];
      if (!c) return undefined;
      const t: WebhookTarget = { receiver: name, url: c.url, maxAlerts: c.max_alerts };
      if (c.timeout_ms !== null) t.timeoutMs = c.timeout_ms;
      const http = c.http_config;
      if (http?.authorization) t.httpConfig = { authorization: { type: http.authorization.type, credentials: http.authorization.credentials } };
      else if (http?.basic_auth) t.httpConfig = { basicAuth: { username: http.basic_auth.username, password: http.basic_auth.password } };
      return t;
    }
    case 'log_configs': {
      const c = receiver.log_configs[index];
      if (!c) return undefined;
      const message = template(c.templates.message);
      return { receiver: name, ...(message ? { message } : {}) };
    }
  }
}

/**
 * The adapter settings of one target, looked up in the running config by receiver and target
 * key; undefined when a reload removed it (receiver gone, entry gone, address no longer listed).
 */
export function resolveTarget(config: TocsinConfig, receiverName: string, targetKey: string): AdapterTarget | undefined {
  const receiver = config.receivers.find((r) => r.name === receiverName);
  const parsed = parseTargetKey(targetKey);
  if (!receiver || !parsed) return undefined;
  return resolveIn(config, receiver, parsed.kind, parsed.index, parsed.address);
}

export interface AdapterDependencies {
  clock: Clock;
  /** The `log` channel writes here. */
  logger: Logger;
}

/** One adapter per channel. */
export function createAdapters(deps: AdapterDependencies): ReadonlyMap<Channel, ChannelAdapter<unknown>> {
  const adapters: ReadonlyArray<ChannelAdapter<unknown>> = [
    new SlackAdapter(deps.clock),
    new PagerDutyAdapter(deps.clock),
    new SmsAdapter(deps.clock),
    new EmailAdapter(deps.clock),
    new WebhookAdapter(deps.clock),
    new LogAdapter(deps.logger),
  ];
  return new Map(adapters.map((a) => [a.channel, a]));
}
