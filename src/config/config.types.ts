import type { CompiledTemplate } from '../channels/templates/template-engine.js';

/**
 * The running configuration: read-only, defaults applied, `${VAR}` and `*_file` secrets
 * resolved, templates compiled. `route`, `receivers`, `inhibit_rules` and `time_intervals`
 * keep Alertmanager's snake_case names and duration strings; Tocsin's own sections add
 * `<name>_ms` numbers next to their durations.
 */
export interface TocsinConfig {
  readonly global: GlobalConfig;
  readonly route: RouteConfig;
  readonly receivers: readonly ReceiverConfig[];
  readonly inhibit_rules: readonly InhibitRuleConfig[];
  /** Alertmanager's `time_intervals` and the older top-level `mute_time_intervals`, together. */
  readonly time_intervals: readonly TimeIntervalConfig[];
  readonly delivery: DeliveryConfig;
  readonly channels: ChannelsConfig;
  readonly heartbeats: readonly HeartbeatConfig[];
  readonly slo: SloConfig;
  readonly retention: RetentionConfig;
  /** Go template files listed in `templates:` (not loaded; each gave a warning). */
  readonly templates: readonly string[];
}

export interface GlobalConfig {
  readonly resolve_timeout: string;
  readonly resolve_timeout_ms: number;
  readonly smtp_from: string | null;
  readonly smtp_smarthost: string | null;
  readonly smtp_hello: string | null;
  readonly smtp_auth_username: string | null;
  /** Resolved from `smtp_auth_password` or `smtp_auth_password_file`. */
  readonly smtp_auth_password: string | null;
  readonly smtp_require_tls: boolean;
  /** Resolved from `slack_api_url` or `slack_api_url_file`. */
  readonly slack_api_url: string | null;
  /** Resolved from `slack_app_token` or `slack_app_token_file` (a bot token). */
  readonly slack_app_token: string | null;
  readonly pagerduty_url: string;
  readonly http_config: HttpConfig | null;
}

/** A route exactly as Alertmanager writes it; unset keys are absent (children inherit). */
export interface RouteConfig {
  readonly receiver?: string;
  readonly group_by?: readonly string[];
  readonly continue?: boolean;
  readonly match?: Readonly<Record<string, string>>;
  readonly match_re?: Readonly<Record<string, string>>;
  readonly matchers?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  readonly mute_time_intervals?: readonly string[];
  readonly active_time_intervals?: readonly string[];
  readonly routes?: readonly RouteConfig[];
}

export interface InhibitRuleConfig {
  readonly source_matchers?: readonly string[];
  readonly target_matchers?: readonly string[];
  readonly source_match?: Readonly<Record<string, string>>;
  readonly source_match_re?: Readonly<Record<string, string>>;
  readonly target_match?: Readonly<Record<string, string>>;
  readonly target_match_re?: Readonly<Record<string, string>>;
  readonly equal?: readonly string[];
}

export interface TimeRangeConfig {
  readonly start_time: string;
  readonly end_time: string;
}

export interface TimeIntervalSpecConfig {
  readonly times?: readonly TimeRangeConfig[];
  readonly weekdays?: readonly string[];
  readonly days_of_month?: readonly string[];
  readonly months?: readonly string[];
  readonly years?: readonly string[];
  readonly location?: string;
}

export interface TimeIntervalConfig {
  readonly name: string;
  readonly time_intervals: readonly TimeIntervalSpecConfig[];
}

/** What Tocsin uses of Prometheus' http_config (the rest warns). Secrets resolved from `*_file`. */
export interface HttpConfig {
  readonly authorization: { readonly type: string; readonly credentials: string } | null;
  readonly basic_auth: { readonly username: string; readonly password: string } | null;
}

export interface ReceiverConfig {
  readonly name: string;
  readonly slack_configs: readonly SlackTargetConfig[];
  readonly pagerduty_configs: readonly PagerdutyTargetConfig[];
  readonly email_configs: readonly EmailTargetConfig[];
  readonly webhook_configs: readonly WebhookTargetConfig[];
  readonly sms_configs: readonly SmsTargetConfig[];
  readonly log_configs: readonly LogTargetConfig[];
}

/** A template field: the text as written and its compiled form, or null when the channel default applies (unset or Go syntax). */
export interface TemplateField {
  readonly source: string | null;
  readonly compiled: CompiledTemplate | null;
}

export interface SlackTargetConfig {
  readonly send_resolved: boolean;
  /** Incoming-webhook URL (receiver, then channels.slack, then global.slack_api_url); null when a bot token is used. */
  readonly api_url: string | null;
  /** Slack Web API bot token (bot_token, app_token, http_config.authorization with chat.postMessage, channels.slack, global.slack_app_token). */
  readonly bot_token: string | null;
  /** Slack Web API base URL for bot tokens (channels.slack.base_url, default https://slack.com/api/). */
  readonly api_base_url: string;
  readonly channel: string | null;
  readonly icon_emoji: string | null;
  readonly icon_url: string | null;
  readonly templates: {
    readonly title: TemplateField;
    readonly title_link: TemplateField;
    readonly text: TemplateField;
    readonly pretext: TemplateField;
    readonly fallback: TemplateField;
    readonly footer: TemplateField;
    readonly color: TemplateField;
    readonly username: TemplateField;
  };
}

export interface PagerdutyTargetConfig {
  readonly send_resolved: boolean;
  /** From routing_key, routing_key_file, service_key or service_key_file. */
  readonly routing_key: string;
  /** receiver `url`, then channels.pagerduty.events_url, then global.pagerduty_url. */
  readonly events_url: string;
  readonly service_name: string | null;
  readonly images: readonly { readonly src: string | null; readonly alt: string | null; readonly href: string | null }[];
  readonly links: readonly { readonly href: string | null; readonly text: string | null }[];
  readonly templates: {
    /** PagerDuty's summary: `summary`, else `description`. */
    readonly summary: TemplateField;
    readonly client: TemplateField;
    readonly client_url: TemplateField;
    readonly source: TemplateField;
    readonly severity: TemplateField;
    readonly class: TemplateField;
    readonly component: TemplateField;
    readonly group: TemplateField;
  };
  /** Custom details, each value a template. */
  readonly details: Readonly<Record<string, TemplateField>>;
}

export enum EmailTransport {
  /** channels.email (its provider, with its fallback). */
  Provider = 'provider',
  /** Alertmanager's `smarthost`: plain SMTP. */
  Smtp = 'smtp',
}

export interface SmtpTarget {
  readonly host: string;
  readonly port: number;
  readonly hello: string | null;
  readonly username: string | null;
  readonly password: string | null;
  readonly require_tls: boolean;
}

export interface EmailTargetConfig {
  readonly send_resolved: boolean;
  /** Each address is its own delivery. */
  readonly to: readonly string[];
  /** receiver `from`, then channels.email.from, then global.smtp_from. */
  readonly from: string | null;
  readonly transport: EmailTransport;
  readonly smtp: SmtpTarget | null;
  /** Other headers (templates), `Subject` taken out into `templates.subject`. */
  readonly headers: Readonly<Record<string, TemplateField>>;
  readonly templates: {
    readonly subject: TemplateField;
    readonly text: TemplateField;
    /** Compiled with HTML escaping of every output (`| raw` opts out). */
    readonly html: TemplateField;
  };
}

export interface WebhookTargetConfig {
  readonly send_resolved: boolean;
  /** From url or url_file. */
  readonly url: string;
  readonly http_config: HttpConfig | null;
  /** 0 = all alerts. */
  readonly max_alerts: number;
  /** null = delivery.attempt_timeout. */
  readonly timeout_ms: number | null;
}

export interface SmsTargetConfig {
  readonly send_resolved: boolean;
  /** E.164 numbers, each its own delivery. */
  readonly to: readonly string[];
  /** Overrides channels.sms.from. */
  readonly from: string | null;
  readonly templates: { readonly message: TemplateField };
}

export interface LogTargetConfig {
  readonly send_resolved: boolean;
  readonly templates: { readonly message: TemplateField };
}

export interface RateLimitConfig {
  readonly rate: number;
  readonly per: string;
  readonly per_ms: number;
  /** Defaults to `rate` (rounded up). */
  readonly burst: number;
}

export interface GlobalRateLimitConfig {
  readonly rate: number;
  readonly per: string;
  readonly per_ms: number;
}

interface ChannelBase {
  readonly rate_limit: RateLimitConfig;
  readonly global_rate_limit: GlobalRateLimitConfig | null;
}

export interface SlackChannelConfig extends ChannelBase {
  readonly api_url: string | null;
  readonly bot_token: string | null;
  readonly base_url: string;
}

export interface PagerdutyChannelConfig extends ChannelBase {
  readonly events_url: string;
}

export interface SmsChannelConfig extends ChannelBase {
  readonly provider: 'twilio';
  readonly account_sid: string | null;
  /** From auth_token or auth_token_file. */
  readonly auth_token: string | null;
  readonly from: string | null;
  readonly messaging_service_sid: string | null;
  readonly base_url: string | null;
}

export interface EmailProviderConfig {
  readonly provider: 'sendgrid' | 'smtp';
  /** SendGrid: from api_key or api_key_file. */
  readonly api_key: string | null;
  readonly from: string | null;
  readonly base_url: string | null;
  /** SMTP. */
  readonly host: string | null;
  readonly port: number;
  readonly secure: boolean;
  readonly require_tls: boolean;
  readonly user: string | null;
  /** From password or password_file. */
  readonly password: string | null;
}

export interface EmailChannelConfig extends ChannelBase, EmailProviderConfig {
  readonly fallback: EmailProviderConfig | null;
}

export interface ChannelsConfig {
  readonly slack: SlackChannelConfig;
  readonly pagerduty: PagerdutyChannelConfig;
  readonly sms: SmsChannelConfig;
  readonly email: EmailChannelConfig;
  readonly webhook: ChannelBase;
  readonly log: ChannelBase;
}

export interface DeliveryConfig {
  readonly max_attempts: number;
  readonly initial_backoff: string;
  readonly initial_backoff_ms: number;
  readonly max_backoff: string;
  readonly max_backoff_ms: number;
  readonly attempt_timeout: string;
  readonly attempt_timeout_ms: number;
  readonly coalesce_after: number;
}

export enum HeartbeatSource {
  Api = 'api',
  Redis = 'redis',
}

export interface HeartbeatConfig {
  readonly name: string;
  readonly max_staleness: string;
  readonly max_staleness_ms: number;
  readonly target: string;
  readonly target_ms: number;
  readonly severity: string;
  readonly source: HeartbeatSource;
  readonly description: string | null;
}

export interface SloConfig {
  readonly interval: string;
  readonly interval_ms: number;
  readonly window: string;
  readonly window_ms: number;
  readonly fallback_receiver: string | null;
}

export interface RetentionConfig {
  readonly delivered: string;
  readonly delivered_ms: number;
  readonly discarded: string;
  readonly discarded_ms: number;
  /** Resolved alerts. */
  readonly alerts: string;
  readonly alerts_ms: number;
  /** Expired silences. */
  readonly silences: string;
  readonly silences_ms: number;
}

export type LoadResult =
  | { readonly ok: true; readonly config: TocsinConfig; readonly warnings: import('./config.errors.js').ConfigIssue[] }
  | {
      readonly ok: false;
      readonly errors: import('./config.errors.js').ConfigIssue[];
      readonly warnings: import('./config.errors.js').ConfigIssue[];
    };

export interface LoadOptions {
  /** Variables for `${VAR}` (not process.env unless the caller passes it). */
  env: Readonly<Record<string, string | undefined>>;
  /** Where `*_file` paths are relative to (the config file's folder). */
  baseDir: string;
}
