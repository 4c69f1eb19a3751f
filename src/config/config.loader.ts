import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { matchersFromLegacy, parseMatchers } from '../alerts/matchers.js';
import { parseDuration } from '../common/duration.js';
import { findMarkers } from './config.env.js';
import { interpolateEnv } from './config.env.js';
import { formatPath, IssueCollector, type ConfigIssue, type PathSegment } from './config.errors.js';
import { findUnknownKeys } from './config.keys.js';
import { ReceiverBuilder } from './config.receivers.js';
import { rememberConfigSource } from './config.redact.js';
import {
  channelsSchema,
  configFileSchema,
  deliverySchema,
  globalSchema,
  heartbeatSchema,
  inhibitRuleSchema,
  receiverSchema,
  retentionSchema,
  routeSchema,
  sloSchema,
  timeIntervalSchema,
  UNIMPLEMENTED_KEYS,
  type ChannelsInput,
  type RawRoute,
} from './config.schema.js';
import { FieldResolver, NOT_IMPLEMENTED_WARNING } from './config.secrets.js';
import {
  HeartbeatSource,
  type ChannelsConfig,
  type EmailProviderConfig,
  type GlobalConfig,
  type GlobalRateLimitConfig,
  type HeartbeatConfig,
  type InhibitRuleConfig,
  type LoadOptions,
  type LoadResult,
  type RateLimitConfig,
  type ReceiverConfig,
  type RouteConfig,
  type TimeIntervalConfig,
  type TocsinConfig,
} from './config.types.js';

export const DEFAULT_PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';
export const DEFAULT_SLACK_API_BASE = 'https://slack.com/api/';
const ROOT_ROUTE_DEFAULTS = { group_wait: '30s', group_interval: '5m', repeat_interval: '4h' } as const;

const DEFAULT_RATE_LIMITS: Record<keyof ChannelsConfig, { rate: number; per: string; burst?: number }> = {
  slack: { rate: 1, per: '1s', burst: 5 },
  pagerduty: { rate: 120, per: '1m' },
  sms: { rate: 1, per: '1s' },
  email: { rate: 10, per: '1s' },
  webhook: { rate: 50, per: '1s' },
  log: { rate: 1000, per: '1s' },
};

/** Loads a config file; `*_file` paths are relative to its folder. Never throws. */
export function loadConfigFile(path: string, env: LoadOptions['env']): LoadResult {
  const full = resolve(path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, errors: [{ path: '', message: `cannot read config file ${full}: ${code}` }], warnings: [] };
  }
  return loadConfigFromText(text, { env, baseDir: dirname(full) });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)})`;
  return `a ${typeof v} (${String(v)})`;
}

const EXPECTED_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** Parses one part of the file, turning zod issues into `path: reason` errors. */
function parseSection<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  path: PathSegment[],
  issues: IssueCollector,
  skip: ReadonlySet<string>,
): z.output<S> | undefined {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const rel = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const full = [...path, ...rel];
    if (skip.has(formatPath(full))) continue;
    const value = valueAt(raw, rel);
    let message = issue.message;
    if (issue.code === 'invalid_type') {
      message =
        value === undefined ? 'required' : `expected ${EXPECTED_NAMES[issue.expected] ?? issue.expected}, got ${describe(value)}`;
    } else if (issue.code === 'invalid_union' && message === 'Invalid input') {
      message = `unexpected ${describe(value)}`;
    }
    issues.error(full, message);
  }
  return undefined;
}

function ms(d: string): number {
  return parseDuration(d);
}

function walkStrings(value: unknown, path: PathSegment[], visit: (s: string, path: PathSegment[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], visit));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit);
}

function yamlIssues(errors: readonly YAML.YAMLError[]): ConfigIssue[] {
  return errors.map((e) => {
    const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
    const pos = e.linePos?.[0];
    return { path: '', message: `YAML syntax error: ${first}`, line: pos?.line, column: pos?.col };
  });
}

/** Loads and checks a config from text: every error and warning with its key path. Never throws. */
export function loadConfigFromText(text: string, options: LoadOptions): LoadResult {
  const issues = new IssueCollector();
  const { text: expanded } = interpolateEnv(text, options.env);
  const doc = YAML.parseDocument(expanded, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) return { ok: false, errors: yamlIssues(doc.errors), warnings: [] };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    return { ok: false, errors: [{ path: '', message: `YAML error: ${(err as Error).message}` }], warnings: [] };
  }
  if (raw === null || raw === undefined) raw = {};
  if (!isRecord(raw)) {
    return { ok: false, errors: [{ path: '', message: `the file must be a YAML mapping of sections, got ${describe(raw)}` }], warnings: [] };
  }
  const root = raw;

  // 1. ${VAR} without a value: an error at the key that used it.
  const skip = new Set<string>();
  walkStrings(root, [], (s, path) => {
    for (const hit of findMarkers(s)) {
      skip.add(formatPath(path));
      issues.error(
        path,
        hit.kind === 'unset'
          ? `environment variable ${hit.name} is not set and has no default; set it or write \${${hit.name}:-default}`
          : 'invalid ${…} reference: write ${NAME} or ${NAME:-default}',
      );
    }
  });

  // 2. Unknown keys (with a suggestion) and unsupported integrations.
  findUnknownKeys(configFileSchema, root, [], issues);

  const fields = new FieldResolver(options.baseDir, issues);

  // 3. Sections, one by one.
  const globalInput = parseSection(globalSchema, root.global ?? {}, ['global'], issues, skip);
  if (globalInput) fields.warnUnimplemented(['global'], root.global, UNIMPLEMENTED_KEYS.global);
  const global = buildGlobal(globalInput, fields);

  const channelsInput = parseSection(channelsSchema, root.channels ?? {}, ['channels'], issues, skip);
  const channels = buildChannels(channelsInput ?? {}, global, fields);

  if (Array.isArray(root.templates)) {
    root.templates.forEach((t, i) =>
      issues.warn(['templates', i], 'Go template files are not loaded: Tocsin templates are written inline in its own template language (see docs/templates.md)'),
    );
  }
  parseSection(configFileSchema.shape.templates, root.templates, ['templates'], issues, skip);

  // Receivers: one at a time, so a broken one still counts as defined.
  const receivers: ReceiverConfig[] = [];
  const receiverNames = new Map<string, number>();
  const builder = new ReceiverBuilder(fields, issues, { global, channels, emailChannelConfigured: isRecord(root.channels) && 'email' in root.channels });
  if (root.receivers !== undefined && root.receivers !== null && !Array.isArray(root.receivers)) {
    issues.error(['receivers'], `expected a list, got ${describe(root.receivers)}`);
  }
  const rawReceivers = Array.isArray(root.receivers) ? root.receivers : [];
  rawReceivers.forEach((r, i) => {
    const path: PathSegment[] = ['receivers', i];
    if (isRecord(r) && typeof r.name === 'string' && r.name !== '') {
      const first = receiverNames.get(r.name);
      if (first !== undefined) issues.error([...path, 'name'], `receiver name "${r.name}" is already used by receivers[${first}]`);
      else receiverNames.set(r.name, i);
    }
    const input = parseSection(receiverSchema, r, path, issues, skip);
    if (input && isRecord(r)) receivers.push(builder.build(path, input, r));
  });

  // Time intervals (time_intervals and the older mute_time_intervals).
  const timeIntervals: TimeIntervalConfig[] = [];
  const intervalNames = new Set<string>();
  for (const section of ['time_intervals', 'mute_time_intervals'] as const) {
    const list = root[section];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      issues.error([section], `expected a list, got ${describe(list)}`);
      continue;
    }
    list.forEach((ti, i) => {
      const path: PathSegment[] = [section, i];
      if (isRecord(ti) && typeof ti.name === 'string') {
        if (intervalNames.has(ti.name)) issues.error([...path, 'name'], `time interval "${ti.name}" is defined more than once`);
        intervalNames.add(ti.name);
      }
      const input = parseSection(timeIntervalSchema, ti, path, issues, skip);
      if (input) timeIntervals.push(stripNulls({ name: input.name, time_intervals: input.time_intervals ?? [] }) as TimeIntervalConfig);
    });
  }

  // Route tree.
  const routeInput = root.route === undefined || root.route === null ? undefined : parseSection(routeSchema, root.route, ['route'], issues, skip);
  if (root.route === undefined || root.route === null) issues.error(['route'], 'required: the root route (route.receiver names the default receiver)');
  else checkRoute(root.route, ['route'], true, receiverNames, intervalNames, issues);
  const route = routeInput ? buildRoute(routeInput) : { receiver: '', ...ROOT_ROUTE_DEFAULTS };

  // Inhibit rules.
  const inhibitRules: InhibitRuleConfig[] = [];
  const rawRules = root.inhibit_rules;
  if (rawRules !== undefined && rawRules !== null && !Array.isArray(rawRules)) issues.error(['inhibit_rules'], `expected a list, got ${describe(rawRules)}`);
  (Array.isArray(rawRules) ? rawRules : []).forEach((rule, i) => {
    const path: PathSegment[] = ['inhibit_rules', i];
    const input = parseSection(inhibitRuleSchema, rule, path, issues, skip);
    if (!input) return;
    checkMatcherList(input.source_matchers, [...path, 'source_matchers'], issues);
    checkMatcherList(input.target_matchers, [...path, 'target_matchers'], issues);
    checkLegacy(input.source_match, input.source_match_re, path, 'source_match', issues);
    checkLegacy(input.target_match, input.target_match_re, path, 'target_match', issues);
    inhibitRules.push(stripNulls(input) as InhibitRuleConfig);
  });

  // Tocsin's sections.
  const deliveryInput = parseSection(deliverySchema, root.delivery ?? {}, ['delivery'], issues, skip);
  const delivery = deliveryInput ?? deliverySchema.parse({});
  if (deliveryInput && ms(delivery.initial_backoff) > ms(delivery.max_backoff)) {
    issues.error(['delivery', 'initial_backoff'], `initial_backoff (${delivery.initial_backoff}) is longer than max_backoff (${delivery.max_backoff})`);
  }
  if (deliveryInput && ms(delivery.attempt_timeout) === 0) issues.error(['delivery', 'attempt_timeout'], 'attempt_timeout must be longer than 0s');

  const heartbeats: HeartbeatConfig[] = [];
  const heartbeatNames = new Set<string>();
  const rawHeartbeats = root.heartbeats;
  if (rawHeartbeats !== undefined && rawHeartbeats !== null && !Array.isArray(rawHeartbeats)) issues.error(['heartbeats'], `expected a list, got ${describe(rawHeartbeats)}`);
  (Array.isArray(rawHeartbeats) ? rawHeartbeats : []).forEach((hb, i) => {
    const path: PathSegment[] = ['heartbeats', i];
    const input = parseSection(heartbeatSchema, hb, path, issues, skip);
    if (!input) return;
    if (heartbeatNames.has(input.name)) issues.error([...path, 'name'], `heartbeat "${input.name}" is defined more than once`);
    heartbeatNames.add(input.name);
    if (input.source === 'redis' && !options.env.REDIS_URL) {
      issues.error([...path, 'source'], 'source: redis needs REDIS_URL to be set');
    }
    if (ms(input.target) > ms(input.max_staleness)) {
      issues.warn([...path, 'target'], `target (${input.target}) is longer than max_staleness (${input.max_staleness})`);
    }
    heartbeats.push({
      name: input.name,
      max_staleness: input.max_staleness,
      max_staleness_ms: ms(input.max_staleness),
      target: input.target,
      target_ms: ms(input.target),
      severity: input.severity,
      source: input.source === 'redis' ? HeartbeatSource.Redis : HeartbeatSource.Api,
      description: input.description ?? null,
    });
  });

  const sloInput = parseSection(sloSchema, root.slo ?? {}, ['slo'], issues, skip);
  const slo = sloInput ?? sloSchema.parse({});
  if (slo.fallback_receiver && !receiverNames.has(slo.fallback_receiver)) {
    issues.error(['slo', 'fallback_receiver'], undefinedReceiver(slo.fallback_receiver, receiverNames));
  }
  const retention = parseSection(retentionSchema, root.retention ?? {}, ['retention'], issues, skip) ?? retentionSchema.parse({});

  checkChannelCredentials(channelsInput, channels, receivers, issues);

  if (issues.errors.length > 0) return { ok: false, errors: issues.errors, warnings: issues.warnings };

  const config: TocsinConfig = {
    global,
    route,
    receivers,
    inhibit_rules: inhibitRules,
    time_intervals: timeIntervals,
    delivery: {
      ...delivery,
      initial_backoff_ms: ms(delivery.initial_backoff),
      max_backoff_ms: ms(delivery.max_backoff),
      attempt_timeout_ms: ms(delivery.attempt_timeout),
    },
    channels,
    heartbeats,
    slo: {
      interval: slo.interval,
      interval_ms: ms(slo.interval),
      window: slo.window,
      window_ms: ms(slo.window),
      fallback_receiver: slo.fallback_receiver ?? null,
    },
    retention: {
      delivered: retention.delivered,
      delivered_ms: ms(retention.delivered),
      discarded: retention.discarded,
      discarded_ms: ms(retention.discarded),
      alerts: retention.alerts,
      alerts_ms: ms(retention.alerts),
      silences: retention.silences,
      silences_ms: ms(retention.silences),
    },
    templates: Array.isArray(root.templates) ? root.templates.map(String) : [],
  };
  const frozen = deepFreeze(config);
  rememberConfigSource(frozen, expanded);
  return { ok: true, config: frozen, warnings: issues.warnings };
}

function undefinedReceiver(name: string, names: ReadonlyMap<string, number>): string {
  const known = [...names.keys()];
  return `receiver "${name}" is not defined${known.length ? `; defined receivers: ${known.join(', ')}` : ''}`;
}

function buildGlobal(input: z.output<typeof globalSchema> | undefined, fields: FieldResolver): GlobalConfig {
  const g = input ?? globalSchema.parse({});
  return {
    resolve_timeout: g.resolve_timeout,
    resolve_timeout_ms: ms(g.resolve_timeout),
    smtp_from: g.smtp_from ?? null,
    smtp_smarthost: g.smtp_smarthost ?? null,
    smtp_hello: g.smtp_hello ?? null,
    smtp_auth_username: g.smtp_auth_username ?? null,
    smtp_auth_password: fields.secret(['global'], 'smtp_auth_password', g.smtp_auth_password, g.smtp_auth_password_file),
    smtp_require_tls: g.smtp_require_tls ?? true,
    slack_api_url: fields.secret(['global'], 'slack_api_url', g.slack_api_url, g.slack_api_url_file),
    slack_app_token: fields.secret(['global'], 'slack_app_token', g.slack_app_token, g.slack_app_token_file),
    pagerduty_url: g.pagerduty_url ?? DEFAULT_PAGERDUTY_URL,
    http_config: fields.httpConfig(['global', 'http_config'], g.http_config),
  };
}

function rateLimit(input: { rate: number; per: string; burst?: number | null } | null | undefined, channel: keyof ChannelsConfig): RateLimitConfig {
  const r = input ?? DEFAULT_RATE_LIMITS[channel];
  return { rate: r.rate, per: r.per, per_ms: ms(r.per), burst: r.burst ?? Math.max(1, Math.ceil(r.rate)) };
}

function globalRateLimit(input: { rate: number; per: string } | null | undefined): GlobalRateLimitConfig | null {
  return input ? { rate: input.rate, per: input.per, per_ms: ms(input.per) } : null;
}

type EmailProviderInput = NonNullable<NonNullable<ChannelsInput['email']>['fallback']>;

function emailProvider(input: EmailProviderInput | null | undefined, path: PathSegment[], fields: FieldResolver): EmailProviderConfig {
  const e = input ?? {};
  const provider = e.provider ?? 'sendgrid';
  return {
    provider,
    api_key: fields.secret(path, 'api_key', e.api_key, e.api_key_file),
    from: e.from ?? null,
    base_url: e.base_url ?? null,
    host: e.host ?? null,
    port: e.port ?? (e.secure ? 465 : 587),
    secure: e.secure ?? false,
    require_tls: e.require_tls ?? false,
    user: e.user ?? null,
    password: fields.secret(path, 'password', e.password, e.password_file),
  };
}

function buildChannels(c: ChannelsInput, global: GlobalConfig, fields: FieldResolver): ChannelsConfig {
  const slack = c.slack ?? {};
  const sms = c.sms ?? {};
  const email = c.email ?? {};
  return {
    slack: {
      rate_limit: rateLimit(slack.rate_limit, 'slack'),
      global_rate_limit: globalRateLimit(slack.global_rate_limit),
      api_url: fields.secret(['channels', 'slack'], 'api_url', slack.api_url, slack.api_url_file),
      bot_token: fields.secret(['channels', 'slack'], 'bot_token', slack.bot_token, slack.bot_token_file),
      base_url: slack.base_url ?? DEFAULT_SLACK_API_BASE,
    },
    pagerduty: {
      rate_limit: rateLimit(c.pagerduty?.rate_limit, 'pagerduty'),
      global_rate_limit: globalRateLimit(c.pagerduty?.global_rate_limit),
      events_url: c.pagerduty?.events_url ?? global.pagerduty_url,
    },
    sms: {
      rate_limit: rateLimit(sms.rate_limit, 'sms'),
      global_rate_limit: globalRateLimit(sms.global_rate_limit),
      provider: 'twilio',
      account_sid: sms.account_sid || null,
      auth_token: fields.secret(['channels', 'sms'], 'auth_token', sms.auth_token, sms.auth_token_file),
      from: sms.from || null,
      messaging_service_sid: sms.messaging_service_sid || null,
      base_url: sms.base_url || null,
    },
    email: {
      ...emailProvider(email, ['channels', 'email'], fields),
      rate_limit: rateLimit(email.rate_limit, 'email'),
      global_rate_limit: globalRateLimit(email.global_rate_limit),
      fallback: email.fallback ? emailProvider(email.fallback, ['channels', 'email', 'fallback'], fields) : null,
    },
    webhook: { rate_limit: rateLimit(c.webhook?.rate_limit, 'webhook'), global_rate_limit: globalRateLimit(c.webhook?.global_rate_limit) },
    log: { rate_limit: rateLimit(c.log?.rate_limit, 'log'), global_rate_limit: globalRateLimit(c.log?.global_rate_limit) },
  };
}

/** Credentials a channel needs only when some receiver uses it: empty ones are errors then. */
function checkChannelCredentials(input: ChannelsInput | undefined, channels: ChannelsConfig, receivers: ReceiverConfig[], issues: IssueCollector): void {
  if (input === undefined) return;
  const usesSms = receivers.some((r) => r.sms_configs.length > 0);
  const usesEmailProvider = receivers.some((r) => r.email_configs.some((e) => e.transport === 'provider'));
  if (usesSms) {
    const why = 'required because receivers use sms_configs';
    if (!channels.sms.account_sid) issues.error(['channels', 'sms', 'account_sid'], `account_sid is empty; ${why}`);
    if (!channels.sms.auth_token) issues.error(['channels', 'sms', 'auth_token'], `auth_token is empty; ${why}`);
    if (!channels.sms.from && !channels.sms.messaging_service_sid) {
      const needsFrom = receivers.some((r) => r.sms_configs.some((s) => s.from === null));
      if (needsFrom) issues.error(['channels', 'sms', 'from'], `from (or messaging_service_sid) is empty; ${why}`);
    }
  }
  if (usesEmailProvider) {
    const why = 'required because receivers use email_configs without smarthost';
    checkEmailProvider(channels.email, ['channels', 'email'], why, issues);
    if (channels.email.fallback) checkEmailProvider(channels.email.fallback, ['channels', 'email', 'fallback'], why, issues);
  }
}

function checkEmailProvider(p: EmailProviderConfig, path: PathSegment[], why: string, issues: IssueCollector): void {
  if (p.provider === 'sendgrid' && !p.api_key) issues.error([...path, 'api_key'], `api_key is empty; ${why}`);
  if (p.provider === 'smtp' && !p.host) issues.error([...path, 'host'], `host is empty; ${why}`);
  if (p.provider === 'smtp' && p.user && !p.password) issues.error([...path, 'password'], 'password is empty but user is set');
}

function checkMatcherList(list: readonly string[] | null | undefined, path: PathSegment[], issues: IssueCollector): void {
  (list ?? []).forEach((m, i) => {
    try {
      parseMatchers(m);
    } catch (err) {
      issues.error([...path, i], (err as Error).message);
    }
  });
}

function checkLegacy(
  match: Record<string, string> | null | undefined,
  matchRe: Record<string, string> | null | undefined,
  path: PathSegment[],
  key: string,
  issues: IssueCollector,
): void {
  for (const [name, value] of Object.entries(matchRe ?? {})) {
    try {
      matchersFromLegacy(null, { [name]: value });
    } catch (err) {
      issues.error([...path, `${key}_re`, name], (err as Error).message);
    }
  }
  void match;
}

/** Route checks on the raw tree (so they run even when another part of the route has a type error). */
function checkRoute(
  raw: unknown,
  path: PathSegment[],
  isRoot: boolean,
  receivers: ReadonlyMap<string, number>,
  intervals: ReadonlySet<string>,
  issues: IssueCollector,
): void {
  if (!isRecord(raw)) return;
  const receiver = raw.receiver;
  if (isRoot && (receiver === undefined || receiver === null || receiver === '')) {
    issues.error([...path, 'receiver'], 'the root route must name a receiver');
  } else if (typeof receiver === 'string' && receiver !== '' && !receivers.has(receiver)) {
    issues.error([...path, 'receiver'], undefinedReceiver(receiver, receivers));
  }
  if (isRoot) {
    for (const key of ['matchers', 'match', 'match_re']) {
      const v = raw[key];
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && !(isRecord(v) && Object.keys(v).length === 0)) {
        issues.error([...path, key], 'the root route must not have matchers: it matches every alert');
      }
    }
    for (const key of ['mute_time_intervals', 'active_time_intervals']) {
      if (Array.isArray(raw[key]) && (raw[key] as unknown[]).length > 0) issues.error([...path, key], 'the root route cannot have time intervals');
    }
    if (raw.continue === true) issues.error([...path, 'continue'], 'the root route cannot have continue: true');
  }
  const matchers = typeof raw.matchers === 'string' ? [raw.matchers] : raw.matchers;
  if (Array.isArray(matchers)) {
    matchers.forEach((m, i) => {
      if (typeof m !== 'string') return;
      try {
        parseMatchers(m);
      } catch (err) {
        issues.error([...path, 'matchers', ...(typeof raw.matchers === 'string' ? [] : [i])], (err as Error).message);
      }
    });
  }
  if (isRecord(raw.match_re)) {
    for (const [name, value] of Object.entries(raw.match_re)) {
      try {
        matchersFromLegacy(null, { [name]: String(value) });
      } catch (err) {
        issues.error([...path, 'match_re', name], (err as Error).message);
      }
    }
  }
  if (Array.isArray(raw.group_by)) {
    if (raw.group_by.includes('...') && raw.group_by.length > 1) {
      issues.error([...path, 'group_by'], "'...' groups by all labels and must be the only entry");
    }
    raw.group_by.forEach((l, i) => {
      if (typeof l === 'string' && l === '') issues.error([...path, 'group_by', i], 'an empty label name');
    });
  }
  for (const key of ['group_interval', 'repeat_interval']) {
    const v = raw[key];
    if ((typeof v === 'string' || typeof v === 'number') && String(v).trim().match(/^0(?:ms|s|m|h|d|w|y)?$/)) {
      issues.error([...path, key], `${key} cannot be zero`);
    }
  }
  for (const key of ['mute_time_intervals', 'active_time_intervals']) {
    const list = raw[key];
    if (!Array.isArray(list)) continue;
    list.forEach((name, i) => {
      if (typeof name === 'string' && !intervals.has(name)) {
        issues.error([...path, key, i], `time interval "${name}" is not defined in time_intervals`);
      }
    });
  }
  if (Array.isArray(raw.routes)) raw.routes.forEach((child, i) => checkRoute(child, [...path, 'routes', i], false, receivers, intervals, issues));
}

/** The route as Alertmanager writes it, nulls removed, the root's timing defaults filled in. */
function buildRoute(input: RawRoute): RouteConfig {
  const strip = (r: RawRoute): RouteConfig => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      if (v === null || v === undefined) continue;
      if (k === 'routes') out.routes = (v as RawRoute[]).map(strip);
      else out[k] = v;
    }
    return out as RouteConfig;
  };
  return { ...ROOT_ROUTE_DEFAULTS, ...strip(input) };
}

function stripNulls<T extends object>(o: T): T {
  if (Array.isArray(o)) return o.map((v: unknown) => (v !== null && typeof v === 'object' ? stripNulls(v) : v)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === undefined) continue;
    out[k] = v !== null && typeof v === 'object' ? stripNulls(v as object) : v;
  }
  return out as T;
}

function deepFreeze<T>(o: T): T {
  if (o === null || typeof o !== 'object' || Object.isFrozen(o)) return o;
  // Compiled templates are engine objects: leave their insides alone.
  if ('render' in (o as object) && typeof (o as unknown as { render: unknown }).render === 'function') return Object.freeze(o);
  for (const v of Object.values(o as object)) deepFreeze(v);
  return Object.freeze(o);
}

export { NOT_IMPLEMENTED_WARNING };
