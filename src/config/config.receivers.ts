import type { IssueCollector, PathSegment } from './config.errors.js';
import {
  UNIMPLEMENTED_KEYS,
  type EmailConfigInput,
  type LogConfigInput,
  type PagerdutyConfigInput,
  type ReceiverInput,
  type SlackConfigInput,
  type SmsConfigInput,
  type WebhookConfigInput,
} from './config.schema.js';
import type { FieldResolver } from './config.secrets.js';
import { parseDuration } from '../common/duration.js';
import {
  EmailTransport,
  type ChannelsConfig,
  type EmailTargetConfig,
  type GlobalConfig,
  type LogTargetConfig,
  type PagerdutyTargetConfig,
  type ReceiverConfig,
  type SlackTargetConfig,
  type SmsTargetConfig,
  type TemplateField,
  type WebhookTargetConfig,
} from './config.types.js';

/** What a receiver's entries fall back to: `channels.<channel>`, then `global`. */
export interface ReceiverContext {
  global: GlobalConfig;
  channels: ChannelsConfig;
  /** Whether the file has a `channels.email` section (else global.smtp_smarthost means SMTP). */
  emailChannelConfigured: boolean;
}

const E164 = /^\+[1-9]\d{6,14}$/;

function present(raw: unknown, key: string): boolean {
  return raw !== null && typeof raw === 'object' && key in (raw as Record<string, unknown>);
}

export class ReceiverBuilder {
  constructor(
    private readonly fields: FieldResolver,
    private readonly issues: IssueCollector,
    private readonly ctx: ReceiverContext,
  ) {}

  build(path: PathSegment[], input: ReceiverInput, raw: Record<string, unknown>): ReceiverConfig {
    const rawList = (key: string, i: number): unknown => {
      const list = raw[key];
      return Array.isArray(list) ? list[i] : undefined;
    };
    return {
      name: input.name,
      slack_configs: (input.slack_configs ?? []).map((c, i) => this.slack([...path, 'slack_configs', i], c, rawList('slack_configs', i))),
      pagerduty_configs: (input.pagerduty_configs ?? []).map((c, i) =>
        this.pagerduty([...path, 'pagerduty_configs', i], c, rawList('pagerduty_configs', i)),
      ),
      email_configs: (input.email_configs ?? []).map((c, i) => this.email([...path, 'email_configs', i], c, rawList('email_configs', i))),
      webhook_configs: (input.webhook_configs ?? []).map((c, i) =>
        this.webhook([...path, 'webhook_configs', i], c, rawList('webhook_configs', i)),
      ),
      sms_configs: (input.sms_configs ?? []).map((c, i) => this.sms([...path, 'sms_configs', i], c, rawList('sms_configs', i))),
      log_configs: (input.log_configs ?? []).map((c, i) => this.log([...path, 'log_configs', i], c)),
    };
  }

  private slack(path: PathSegment[], c: SlackConfigInput, raw: unknown): SlackTargetConfig {
    this.fields.warnUnimplemented(path, raw, UNIMPLEMENTED_KEYS.slack_configs);
    const http = this.fields.httpConfig([...path, 'http_config'], c.http_config);
    let apiUrl = this.fields.secret(path, 'api_url', c.api_url, c.api_url_file);
    let botToken =
      this.fields.secret(path, 'bot_token', c.bot_token, c.bot_token_file) ?? this.fields.secret(path, 'app_token', c.app_token, c.app_token_file);
    // Alertmanager's bot-token form: api_url = chat.postMessage, token in http_config.authorization.
    if (botToken === null && apiUrl !== null && apiUrl.includes('chat.postMessage') && http?.authorization) {
      botToken = http.authorization.credentials;
      apiUrl = null;
    }
    if (apiUrl !== null && botToken !== null) {
      this.issues.error([...path, 'bot_token'], 'set either api_url (incoming webhook) or bot_token (Web API), not both');
    }
    if (apiUrl === null && botToken === null) {
      apiUrl = this.ctx.channels.slack.api_url ?? this.ctx.global.slack_api_url;
      botToken = apiUrl === null ? (this.ctx.channels.slack.bot_token ?? this.ctx.global.slack_app_token) : null;
    }
    if (apiUrl === null && botToken === null) {
      const reason = present(raw, 'api_url')
        ? 'api_url is empty, and neither bot_token, channels.slack nor global.slack_api_url gives a webhook URL or token'
        : 'no Slack webhook URL or bot token: set api_url (or api_url_file), bot_token, channels.slack.api_url or global.slack_api_url';
      this.issues.error([...path, 'api_url'], reason);
    }
    if (apiUrl !== null) this.checkUrl([...path, 'api_url'], apiUrl);
    if (botToken !== null && apiUrl === null && (c.channel === null || c.channel === undefined || c.channel === '')) {
      this.issues.error([...path, 'channel'], 'channel is required when sending with a bot token');
    }
    if (c.channel && c.channel.includes('{{')) {
      this.issues.warn([...path, 'channel'], 'channel is sent as written: templates are not expanded in channel names');
    }
    const t = (key: keyof SlackConfigInput & string): TemplateField => this.fields.template([...path, key], c[key] as string | null | undefined);
    return {
      send_resolved: c.send_resolved ?? false,
      api_url: apiUrl,
      bot_token: apiUrl === null ? botToken : null,
      api_base_url: this.ctx.channels.slack.base_url,
      channel: c.channel ?? null,
      icon_emoji: c.icon_emoji ?? null,
      icon_url: c.icon_url ?? null,
      templates: {
        title: t('title'),
        title_link: t('title_link'),
        text: t('text'),
        pretext: t('pretext'),
        fallback: t('fallback'),
        footer: t('footer'),
        color: t('color'),
        username: t('username'),
      },
    };
  }

  private pagerduty(path: PathSegment[], c: PagerdutyConfigInput, raw: unknown): PagerdutyTargetConfig {
    this.fields.warnUnimplemented(path, raw, UNIMPLEMENTED_KEYS.pagerduty_configs);
    this.fields.httpConfig([...path, 'http_config'], c.http_config);
    let routingKey = this.fields.secret(path, 'routing_key', c.routing_key, c.routing_key_file);
    if (routingKey === null) {
      const serviceKey = this.fields.secret(path, 'service_key', c.service_key, c.service_key_file);
      if (serviceKey !== null) {
        this.issues.warn(
          [...path, c.service_key ? 'service_key' : 'service_key_file'],
          'Events API v1 service keys are sent to the Events API v2 endpoint as routing_key; prefer an Events API v2 routing_key',
        );
        routingKey = serviceKey;
      }
    }
    if (routingKey === null) {
      this.issues.error(
        [...path, 'routing_key'],
        present(raw, 'routing_key') ? 'routing_key is empty' : 'routing_key (or routing_key_file) is required',
      );
    }
    const eventsUrl = c.url ?? this.ctx.channels.pagerduty.events_url;
    this.checkUrl([...path, 'url'], eventsUrl);
    const t = (key: string, source: string | null | undefined): TemplateField => this.fields.template([...path, key], source);
    const details: Record<string, TemplateField> = {};
    for (const [k, v] of Object.entries(c.details ?? {})) details[k] = this.fields.template([...path, 'details', k], v);
    return {
      send_resolved: c.send_resolved ?? true,
      routing_key: routingKey ?? '',
      events_url: eventsUrl,
      service_name: c.service_name ?? null,
      images: (c.images ?? []).map((i) => ({ src: i.src ?? null, alt: i.alt ?? null, href: i.href ?? null })),
      links: (c.links ?? []).map((l) => ({ href: l.href ?? null, text: l.text ?? null })),
      templates: {
        summary: c.summary ? t('summary', c.summary) : t('description', c.description),
        client: t('client', c.client),
        client_url: t('client_url', c.client_url),
        source: t('source', c.source),
        severity: t('severity', c.severity),
        class: t('class', c.class),
        component: t('component', c.component),
        group: t('group', c.group),
      },
      details,
    };
  }

  private email(path: PathSegment[], c: EmailConfigInput, raw: unknown): EmailTargetConfig {
    this.fields.warnUnimplemented(path, raw, UNIMPLEMENTED_KEYS.email_configs);
    const g = this.ctx.global;
    const to = splitList(c.to, ',');
    if (to.length === 0) this.issues.error([...path, 'to'], 'to is required: one or more email addresses');
    to.forEach((addr) => {
      if (!/^[^\s@<>]+@[^\s@<>]+$/.test(addr.replace(/^.*<(.*)>$/, '$1'))) {
        this.issues.error([...path, 'to'], `${JSON.stringify(addr)} is not an email address`);
      }
    });
    const smarthost = c.smarthost ?? (this.ctx.emailChannelConfigured ? null : g.smtp_smarthost);
    let transport = EmailTransport.Provider;
    let smtp: EmailTargetConfig['smtp'] = null;
    if (smarthost !== null && smarthost !== '') {
      transport = EmailTransport.Smtp;
      const m = /^(.*):(\d+)$/.exec(smarthost);
      if (!m || m[1] === '') {
        this.issues.error([...path, 'smarthost'], `${JSON.stringify(smarthost)} is not host:port (e.g. smtp.example.com:587)`);
      }
      const password = this.fields.secret(path, 'auth_password', c.auth_password, c.auth_password_file) ?? g.smtp_auth_password;
      smtp = {
        host: m ? m[1] : smarthost,
        port: m ? Number(m[2]) : 25,
        hello: c.hello ?? g.smtp_hello,
        username: c.auth_username ?? g.smtp_auth_username,
        password,
        require_tls: c.require_tls ?? g.smtp_require_tls,
      };
      if (smtp.username !== null && smtp.username !== '' && (password === null || password === '')) {
        this.issues.error([...path, 'auth_password'], 'auth_password is empty but auth_username is set');
      }
    }
    const from = c.from ?? this.ctx.channels.email.from ?? g.smtp_from;
    if (from === null || from === '') {
      this.issues.error([...path, 'from'], 'no sender address: set from, channels.email.from or global.smtp_from');
    }
    const headers: Record<string, TemplateField> = {};
    let subjectSource: string | null = c.subject ?? null;
    let subjectPath: PathSegment[] = [...path, 'subject'];
    for (const [name, value] of Object.entries(c.headers ?? {})) {
      if (name.toLowerCase() === 'subject' && c.subject === undefined) {
        subjectSource = value;
        subjectPath = [...path, 'headers', name];
        continue;
      }
      if (name.toLowerCase() === 'subject') continue;
      headers[name] = this.fields.template([...path, 'headers', name], value);
    }
    return {
      send_resolved: c.send_resolved ?? false,
      to,
      from,
      transport,
      smtp,
      headers,
      templates: {
        subject: this.fields.template(subjectPath, subjectSource),
        text: this.fields.template([...path, 'text'], c.text),
        html: this.fields.template([...path, 'html'], c.html, { html: true }),
      },
    };
  }

  private webhook(path: PathSegment[], c: WebhookConfigInput, raw: unknown): WebhookTargetConfig {
    this.fields.warnUnimplemented(path, raw, UNIMPLEMENTED_KEYS.webhook_configs);
    const http = this.fields.httpConfig([...path, 'http_config'], c.http_config) ?? this.ctx.global.http_config;
    const url = this.fields.secret(path, 'url', c.url, c.url_file);
    if (url === null) this.issues.error([...path, 'url'], present(raw, 'url') ? 'url is empty' : 'url (or url_file) is required');
    else this.checkUrl([...path, c.url ? 'url' : 'url_file'], url);
    return {
      send_resolved: c.send_resolved ?? true,
      url: url ?? '',
      http_config: http,
      max_alerts: c.max_alerts ?? 0,
      timeout_ms: c.timeout && parseDuration(c.timeout) > 0 ? parseDuration(c.timeout) : null,
    };
  }

  private sms(path: PathSegment[], c: SmsConfigInput, raw: unknown): SmsTargetConfig {
    const to = splitList(c.to, ',');
    if (to.length === 0) this.issues.error([...path, 'to'], present(raw, 'to') ? 'to is empty' : 'to is required: one or more phone numbers in E.164 form (+15551234567)');
    to.forEach((n, i) => {
      if (!E164.test(n)) {
        this.issues.error(Array.isArray(c.to) ? [...path, 'to', i] : [...path, 'to'], `${JSON.stringify(n)} is not a phone number in E.164 form (+15551234567)`);
      }
    });
    return {
      send_resolved: c.send_resolved ?? false,
      to,
      from: c.from ?? null,
      templates: { message: this.fields.template([...path, 'message'], c.message) },
    };
  }

  private log(path: PathSegment[], c: LogConfigInput): LogTargetConfig {
    return {
      send_resolved: c.send_resolved ?? true,
      templates: { message: this.fields.template([...path, 'message'], c.message) },
    };
  }

  private checkUrl(path: PathSegment[], url: string): void {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // Never echo the value: URLs here carry secrets.
      this.issues.error(path, 'is not a valid URL');
      return;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') this.issues.error(path, 'must be an http:// or https:// URL');
  }
}

function splitList(value: string | string[] | null | undefined, separator: string): string[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : value.split(separator);
  return items.map((s) => s.trim()).filter((s) => s !== '');
}
