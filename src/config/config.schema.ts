import { z } from 'zod';
import { isDuration } from '../common/duration.js';

/**
 * The one schema of Tocsin's config file: Alertmanager's `global`, `route`, `receivers`,
 * `inhibit_rules`, `time_intervals` (every key of Alertmanager's schema for the supported
 * integrations) plus Tocsin's own sections. Objects here are not strict: unknown keys are
 * found by `findUnknownKeys` (config.keys.ts), which walks this schema and suggests the
 * nearest key. Keys that are accepted but whose behaviour Tocsin does not implement are
 * listed in `UNIMPLEMENTED_KEYS` and give a warning.
 */

const durationMessage = (input: unknown): string =>
  `${JSON.stringify(input)} is not a duration; use a number and a unit such as 30s, 5m, 1h30m, 500ms (units: ms, s, m, h, d, w, y)`;

/** A Prometheus duration (`30s`, `1h30m`); YAML `0` is accepted as `0s`. */
export const durationSchema = z
  .union([z.string(), z.number()], { error: (iss) => durationMessage(iss.input) })
  .transform((v) => (typeof v === 'number' ? String(v) : v))
  .refine((v) => isDuration(v), { error: (iss) => durationMessage(iss.input) });

const str = z.string();
const optStr = str.nullish();
const optBool = z.boolean().nullish();
const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));
const stringList = z.array(z.string());

// ---------------------------------------------------------------- http_config (Prometheus common)

export const tlsConfigSchema = z.object({
  ca: optStr,
  ca_file: optStr,
  ca_ref: optStr,
  cert: optStr,
  cert_file: optStr,
  cert_ref: optStr,
  key: optStr,
  key_file: optStr,
  key_ref: optStr,
  server_name: optStr,
  insecure_skip_verify: optBool,
  min_version: optStr,
  max_version: optStr,
});

const proxyFields = {
  proxy_url: optStr,
  no_proxy: optStr,
  proxy_from_environment: optBool,
  proxy_connect_header: z.record(z.string(), stringList).nullish(),
};

export const httpConfigSchema = z.object({
  basic_auth: z
    .object({ username: optStr, username_file: optStr, username_ref: optStr, password: optStr, password_file: optStr, password_ref: optStr })
    .nullish(),
  authorization: z.object({ type: optStr, credentials: optStr, credentials_file: optStr, credentials_ref: optStr }).nullish(),
  bearer_token: optStr,
  bearer_token_file: optStr,
  oauth2: z
    .object({
      client_id: optStr,
      client_secret: optStr,
      client_secret_file: optStr,
      client_secret_ref: optStr,
      scopes: stringList.nullish(),
      token_url: optStr,
      endpoint_params: z.record(z.string(), z.string()).nullish(),
      tls_config: tlsConfigSchema.nullish(),
      ...proxyFields,
    })
    .nullish(),
  enable_http2: optBool,
  follow_redirects: optBool,
  tls_config: tlsConfigSchema.nullish(),
  http_headers: z
    .record(z.string(), z.object({ values: stringList.nullish(), secrets: stringList.nullish(), files: stringList.nullish() }))
    .nullish(),
  ...proxyFields,
});

// ---------------------------------------------------------------- global

export const globalSchema = z.object({
  resolve_timeout: durationSchema.default('5m'),
  http_config: httpConfigSchema.nullish(),
  smtp_from: optStr,
  smtp_smarthost: optStr,
  smtp_hello: optStr,
  smtp_auth_username: optStr,
  smtp_auth_password: optStr,
  smtp_auth_password_file: optStr,
  smtp_auth_secret: optStr,
  smtp_auth_secret_file: optStr,
  smtp_auth_identity: optStr,
  smtp_require_tls: optBool,
  smtp_tls_config: tlsConfigSchema.nullish(),
  smtp_force_implicit_tls: optBool,
  slack_api_url: optStr,
  slack_api_url_file: optStr,
  slack_app_token: optStr,
  slack_app_token_file: optStr,
  slack_app_url: optStr,
  pagerduty_url: optStr,
  opsgenie_api_key: optStr,
  opsgenie_api_key_file: optStr,
  opsgenie_api_url: optStr,
  victorops_api_key: optStr,
  victorops_api_key_file: optStr,
  victorops_api_url: optStr,
  wechat_api_url: optStr,
  wechat_api_secret: optStr,
  wechat_api_secret_file: optStr,
  wechat_api_corp_id: optStr,
  telegram_api_url: optStr,
  telegram_bot_token: optStr,
  telegram_bot_token_file: optStr,
  webex_api_url: optStr,
  jira_api_url: optStr,
  rocketchat_api_url: optStr,
  rocketchat_token: optStr,
  rocketchat_token_file: optStr,
  rocketchat_token_id: optStr,
  rocketchat_token_id_file: optStr,
  mattermost_webhook_url: optStr,
  mattermost_webhook_url_file: optStr,
});

// ---------------------------------------------------------------- route, inhibit rules, time intervals

const matcherList = z.union([z.array(z.string()), z.string().transform((s) => [s])]);

export interface RawRoute {
  receiver?: string | null;
  group_by?: string[] | null;
  continue?: boolean | null;
  match?: Record<string, string> | null;
  match_re?: Record<string, string> | null;
  matchers?: string[] | null;
  group_wait?: string | null;
  group_interval?: string | null;
  repeat_interval?: string | null;
  mute_time_intervals?: string[] | null;
  active_time_intervals?: string[] | null;
  routes?: RawRoute[] | null;
}

export const routeSchema: z.ZodType<RawRoute> = z.object({
  receiver: optStr,
  group_by: stringList.nullish(),
  continue: optBool,
  match: stringMap.nullish(),
  match_re: stringMap.nullish(),
  matchers: matcherList.nullish(),
  group_wait: durationSchema.nullish(),
  group_interval: durationSchema.nullish(),
  repeat_interval: durationSchema.nullish(),
  mute_time_intervals: stringList.nullish(),
  active_time_intervals: stringList.nullish(),
  get routes() {
    return z.array(routeSchema).nullish();
  },
});

export const inhibitRuleSchema = z.object({
  source_matchers: matcherList.nullish(),
  target_matchers: matcherList.nullish(),
  source_match: stringMap.nullish(),
  source_match_re: stringMap.nullish(),
  target_match: stringMap.nullish(),
  target_match_re: stringMap.nullish(),
  equal: stringList.nullish(),
});

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const WEEKDAY = '(?:sunday|monday|tuesday|wednesday|thursday|friday|saturday)';
const WEEKDAY_RANGE = new RegExp(`^${WEEKDAY}(?::${WEEKDAY})?$`, 'i');
const MONTH = '(?:january|february|march|april|may|june|july|august|september|october|november|december|[1-9]|1[0-2])';
const MONTH_RANGE = new RegExp(`^${MONTH}(?::${MONTH})?$`, 'i');
const DAY = '(?:-?(?:[1-9]|[12]\\d|3[01]))';
const DAY_RANGE = new RegExp(`^${DAY}(?::${DAY})?$`);
const YEAR_RANGE = /^\d{4}(?::\d{4})?$/;

const rangeList = (re: RegExp, what: string) =>
  z.array(
    z
      .union([z.string(), z.number()])
      .transform(String)
      .refine((v) => re.test(v.trim()), { error: (iss) => `${JSON.stringify(iss.input)} is not a valid ${what}` }),
  );

export const timeIntervalSpecSchema = z.object({
  times: z
    .array(
      z.object({
        start_time: z.string().refine((v) => HHMM.test(v), { error: (iss) => `${JSON.stringify(iss.input)} is not a time of day (HH:MM)` }),
        end_time: z.string().refine((v) => HHMM.test(v), { error: (iss) => `${JSON.stringify(iss.input)} is not a time of day (HH:MM)` }),
      }),
    )
    .nullish(),
  weekdays: rangeList(WEEKDAY_RANGE, 'weekday or weekday range (monday:friday)').nullish(),
  days_of_month: rangeList(DAY_RANGE, 'day of month or range (1:5, -3:-1)').nullish(),
  months: rangeList(MONTH_RANGE, 'month or month range (1:3, may:august)').nullish(),
  years: rangeList(YEAR_RANGE, 'year or year range (2020:2022)').nullish(),
  location: optStr,
});

export const timeIntervalSchema = z.object({
  name: z.string().min(1, { error: 'a time interval needs a name' }),
  time_intervals: z.array(timeIntervalSpecSchema).nullish(),
});

// ---------------------------------------------------------------- receivers

const templateString = optStr;

export const slackConfigSchema = z.object({
  send_resolved: optBool,
  http_config: httpConfigSchema.nullish(),
  api_url: optStr,
  api_url_file: optStr,
  app_token: optStr,
  app_token_file: optStr,
  app_url: optStr,
  // Tocsin: a bot token (Slack Web API) instead of a webhook URL.
  bot_token: optStr,
  bot_token_file: optStr,
  channel: optStr,
  username: templateString,
  color: templateString,
  title: templateString,
  title_link: templateString,
  pretext: templateString,
  text: templateString,
  fields: z.array(z.object({ title: optStr, value: optStr, short: optBool })).nullish(),
  short_fields: optBool,
  footer: templateString,
  fallback: templateString,
  callback_id: templateString,
  icon_emoji: templateString,
  icon_url: templateString,
  image_url: templateString,
  thumb_url: templateString,
  link_names: optBool,
  mrkdwn_in: stringList.nullish(),
  actions: z
    .array(
      z.object({
        type: optStr,
        text: optStr,
        url: optStr,
        style: optStr,
        name: optStr,
        value: optStr,
        confirm: z.object({ text: optStr, title: optStr, ok_text: optStr, dismiss_text: optStr }).nullish(),
      }),
    )
    .nullish(),
  timeout: durationSchema.nullish(),
  update_message: optBool,
  message_text: templateString,
});

export const pagerdutyConfigSchema = z.object({
  send_resolved: optBool,
  http_config: httpConfigSchema.nullish(),
  service_key: optStr,
  service_key_file: optStr,
  routing_key: optStr,
  routing_key_file: optStr,
  url: optStr,
  client: templateString,
  client_url: templateString,
  description: templateString,
  // Tocsin: PagerDuty's `summary` (defaults to `description`), and the name shown in `recipient`.
  summary: templateString,
  service_name: optStr,
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).nullish(),
  images: z.array(z.object({ src: optStr, alt: optStr, href: optStr })).nullish(),
  links: z.array(z.object({ href: optStr, text: optStr })).nullish(),
  source: templateString,
  severity: templateString,
  class: templateString,
  component: templateString,
  group: templateString,
  timeout: durationSchema.nullish(),
});

export const emailConfigSchema = z.object({
  send_resolved: optBool,
  to: z.union([z.string(), z.array(z.string())]).nullish(),
  from: optStr,
  hello: optStr,
  smarthost: z.union([z.string(), z.number()]).transform(String).nullish(),
  auth_username: optStr,
  auth_password: optStr,
  auth_password_file: optStr,
  auth_secret: optStr,
  auth_secret_file: optStr,
  auth_identity: optStr,
  headers: stringMap.nullish(),
  html: templateString,
  text: templateString,
  // Tocsin: the subject (Alertmanager writes it as `headers: { Subject: … }`, also honoured).
  subject: templateString,
  require_tls: optBool,
  tls_config: tlsConfigSchema.nullish(),
  force_implicit_tls: optBool,
  threading: z.object({ enabled: optBool, thread_by_date: optStr }).nullish(),
});

export const webhookConfigSchema = z.object({
  send_resolved: optBool,
  http_config: httpConfigSchema.nullish(),
  url: optStr,
  url_file: optStr,
  max_alerts: z.number().int().min(0).nullish(),
  timeout: durationSchema.nullish(),
});

export const smsConfigSchema = z.object({
  send_resolved: optBool,
  to: z.union([z.string(), z.array(z.string())]).nullish(),
  from: optStr,
  message: templateString,
});

export const logConfigSchema = z.object({
  send_resolved: optBool,
  message: templateString,
});

export const receiverSchema = z.object({
  name: z.string().min(1, { error: 'a receiver needs a name' }),
  slack_configs: z.array(slackConfigSchema).nullish(),
  pagerduty_configs: z.array(pagerdutyConfigSchema).nullish(),
  email_configs: z.array(emailConfigSchema).nullish(),
  webhook_configs: z.array(webhookConfigSchema).nullish(),
  sms_configs: z.array(smsConfigSchema).nullish(),
  log_configs: z.array(logConfigSchema).nullish(),
});

/** Alertmanager integrations Tocsin does not deliver to: an error naming them. */
export const UNSUPPORTED_INTEGRATIONS = [
  'opsgenie_configs',
  'victorops_configs',
  'pushover_configs',
  'wechat_configs',
  'telegram_configs',
  'sns_configs',
  'webex_configs',
  'discord_configs',
  'msteams_configs',
  'msteamsv2_configs',
  'jira_configs',
  'rocketchat_configs',
  'mattermost_configs',
  'incidentio_configs',
  'jsm_configs',
] as const;

export const SUPPORTED_INTEGRATIONS = [
  'slack_configs',
  'pagerduty_configs',
  'email_configs',
  'webhook_configs',
  'sms_configs',
  'log_configs',
] as const;

// ---------------------------------------------------------------- Tocsin's sections

export const rateLimitSchema = z.object({
  rate: z.number().positive({ error: 'rate must be a positive number' }),
  per: durationSchema.refine((v) => v !== '0' && v !== '0s', { error: 'per must be longer than 0s' }),
  burst: z.number().int().positive().nullish(),
});

export const globalRateLimitSchema = z.object({
  rate: z.number().positive({ error: 'rate must be a positive number' }),
  per: durationSchema.refine((v) => v !== '0' && v !== '0s', { error: 'per must be longer than 0s' }),
});

const channelCommon = {
  rate_limit: rateLimitSchema.nullish(),
  global_rate_limit: globalRateLimitSchema.nullish(),
};

const emailProviderFields = {
  provider: z.enum(['sendgrid', 'smtp'], { error: 'provider must be sendgrid or smtp' }).nullish(),
  api_key: optStr,
  api_key_file: optStr,
  from: optStr,
  base_url: optStr,
  host: optStr,
  port: z.number().int().min(1).max(65535).nullish(),
  secure: optBool,
  require_tls: optBool,
  user: optStr,
  password: optStr,
  password_file: optStr,
};

export const channelsSchema = z.object({
  slack: z
    .object({ ...channelCommon, api_url: optStr, api_url_file: optStr, bot_token: optStr, bot_token_file: optStr, base_url: optStr })
    .nullish(),
  pagerduty: z.object({ ...channelCommon, events_url: optStr }).nullish(),
  sms: z
    .object({
      ...channelCommon,
      provider: z.enum(['twilio'], { error: 'provider must be twilio' }).nullish(),
      account_sid: optStr,
      auth_token: optStr,
      auth_token_file: optStr,
      from: optStr,
      messaging_service_sid: optStr,
      base_url: optStr,
    })
    .nullish(),
  email: z.object({ ...channelCommon, ...emailProviderFields, fallback: z.object(emailProviderFields).nullish() }).nullish(),
  webhook: z.object({ ...channelCommon }).nullish(),
  log: z.object({ ...channelCommon }).nullish(),
});

export const deliverySchema = z.object({
  max_attempts: z.number().int().min(1, { error: 'max_attempts must be at least 1' }).default(5),
  initial_backoff: durationSchema.default('1s'),
  max_backoff: durationSchema.default('5m'),
  attempt_timeout: durationSchema.default('10s'),
  coalesce_after: z.number().int().min(1, { error: 'coalesce_after must be at least 1' }).default(20),
});

export const heartbeatSchema = z.object({
  name: z.string().min(1, { error: 'a heartbeat needs a name' }),
  max_staleness: durationSchema.default('10s'),
  target: durationSchema.default('5s'),
  severity: z.string().default('critical'),
  source: z.enum(['api', 'redis'], { error: 'source must be api or redis' }).default('api'),
  description: optStr,
});

export const sloSchema = z.object({
  interval: durationSchema.default('10s'),
  window: durationSchema.default('5m'),
  fallback_receiver: optStr,
});

export const retentionSchema = z.object({
  delivered: durationSchema.default('30d'),
  discarded: durationSchema.default('30d'),
  alerts: durationSchema.default('7d'),
  silences: durationSchema.default('5d'),
});

/** The whole file. Sections are parsed one by one by the loader (so one bad receiver does not hide the others). */
export const configFileSchema = z.object({
  global: globalSchema.nullish(),
  templates: stringList.nullish(),
  route: routeSchema.nullish(),
  receivers: z.array(receiverSchema).nullish(),
  inhibit_rules: z.array(inhibitRuleSchema).nullish(),
  time_intervals: z.array(timeIntervalSchema).nullish(),
  mute_time_intervals: z.array(timeIntervalSchema).nullish(),
  delivery: deliverySchema.nullish(),
  channels: channelsSchema.nullish(),
  heartbeats: z.array(heartbeatSchema).nullish(),
  slo: sloSchema.nullish(),
  retention: retentionSchema.nullish(),
});

/**
 * Alertmanager keys accepted but not acted on: each gives a warning with its path. Keys
 * under `http_config` other than `authorization`, `basic_auth` and `bearer_token(_file)`
 * are handled by the loader with the same warning.
 */
export const UNIMPLEMENTED_KEYS: Readonly<Record<string, readonly string[]>> = {
  global: [
    'smtp_auth_secret',
    'smtp_auth_secret_file',
    'smtp_auth_identity',
    'smtp_tls_config',
    'smtp_force_implicit_tls',
    'slack_app_url',
    'opsgenie_api_key',
    'opsgenie_api_key_file',
    'opsgenie_api_url',
    'victorops_api_key',
    'victorops_api_key_file',
    'victorops_api_url',
    'wechat_api_url',
    'wechat_api_secret',
    'wechat_api_secret_file',
    'wechat_api_corp_id',
    'telegram_api_url',
    'telegram_bot_token',
    'telegram_bot_token_file',
    'webex_api_url',
    'jira_api_url',
    'rocketchat_api_url',
    'rocketchat_token',
    'rocketchat_token_file',
    'rocketchat_token_id',
    'rocketchat_token_id_file',
    'mattermost_webhook_url',
    'mattermost_webhook_url_file',
  ],
  slack_configs: [
    'app_url',
    'fields',
    'short_fields',
    'callback_id',
    'image_url',
    'thumb_url',
    'link_names',
    'mrkdwn_in',
    'actions',
    'timeout',
    'update_message',
    'message_text',
  ],
  pagerduty_configs: ['timeout'],
  email_configs: ['auth_secret', 'auth_secret_file', 'auth_identity', 'tls_config', 'force_implicit_tls', 'threading'],
  webhook_configs: [],
};

/** http_config keys Tocsin acts on; the others warn. */
export const HONOURED_HTTP_CONFIG_KEYS = ['authorization', 'basic_auth', 'bearer_token', 'bearer_token_file'] as const;

export type ConfigFile = z.output<typeof configFileSchema>;
export type GlobalSection = z.output<typeof globalSchema>;
export type HttpConfigInput = z.output<typeof httpConfigSchema>;
export type SlackConfigInput = z.output<typeof slackConfigSchema>;
export type PagerdutyConfigInput = z.output<typeof pagerdutyConfigSchema>;
export type EmailConfigInput = z.output<typeof emailConfigSchema>;
export type WebhookConfigInput = z.output<typeof webhookConfigSchema>;
export type SmsConfigInput = z.output<typeof smsConfigSchema>;
export type LogConfigInput = z.output<typeof logConfigSchema>;
export type ReceiverInput = z.output<typeof receiverSchema>;
export type ChannelsInput = z.output<typeof channelsSchema>;
export type TimeIntervalInput = z.output<typeof timeIntervalSchema>;
export type InhibitRuleInput = z.output<typeof inhibitRuleSchema>;
