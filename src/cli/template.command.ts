import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { fingerprint } from '../alerts/fingerprint.js';
import { compareGoStrings } from '../alerts/go-strings.js';
import { Channel, type AlertStatus, type NotificationAlert, type NotificationData } from '../channels/channel-adapter.js';
import { renderEmailFor } from '../channels/email/email.adapter.js';
import type { EmailTarget } from '../channels/email/email.types.js';
import { logMessageFor, logRecordFor, type LogTarget } from '../channels/log/log.adapter.js';
import { pagerDutyEventFor } from '../channels/pagerduty/pagerduty.adapter.js';
import type { PagerDutyTarget } from '../channels/pagerduty/pagerduty.types.js';
import { buildSlackMessage } from '../channels/slack/slack-message.js';
import { slackOverridesFor } from '../channels/slack/slack.adapter.js';
import type { SlackTarget } from '../channels/slack/slack.types.js';
import { smsTextFor } from '../channels/sms/sms.adapter.js';
import type { SmsTarget } from '../channels/sms/sms.types.js';
import { type AdapterTarget, listTargets, resolveTarget } from '../channels/targets.js';
import { buildWebhookPayload } from '../channels/webhook/webhook-payload.js';
import type { WebhookTarget } from '../channels/webhook/webhook.types.js';
import { formatIssue } from '../config/config.errors.js';
import { loadConfigFile } from '../config/config.loader.js';
import type { TocsinConfig } from '../config/config.types.js';
import { ExitCode, type CliIo, type CliState } from './cli.io.js';

export const DEFAULT_EXTERNAL_URL = 'http://localhost:8080';
export const SECRET_PLACEHOLDER = '<secret>';
/** Alertmanager's zero time: an alert without `endsAt` has not ended. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** One alert in Alertmanager's postable form (`POST /api/v2/alerts`). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** What one target would send. */
export interface RenderedMessage {
  channel: Channel;
  recipient: string;
  message: unknown;
}

export interface PreviewOptions {
  receiver: string;
  now: Date;
  externalURL: string;
  /** Forces every alert's status; otherwise it follows `endsAt` against `now`. */
  status?: AlertStatus;
  groupBy?: readonly string[];
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

function optionalString(item: Record<string, unknown>, key: string, index: number): string | undefined {
  const value = item[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`alerts[${index}].${key}: must be a string`);
  return value;
}

/** Reads a JSON array of postable alerts, or a webhook-v4 payload's `alerts`; throws naming the bad key. */
export function parseAlertsJson(text: string): PostableAlert[] {
  const parsed: unknown = JSON.parse(text);
  const list: unknown =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>).alerts : parsed;
  if (!Array.isArray(list)) throw new Error('expected a JSON array of alerts or an object with "alerts"');
  if (list.length === 0) throw new Error('no alerts in the file');
  return list.map((raw: unknown, i): PostableAlert => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`alerts[${i}]: must be an object`);
    const item = raw as Record<string, unknown>;
    if (!isStringRecord(item.labels)) throw new Error(`alerts[${i}].labels: must be an object of strings`);
    if (item.annotations !== undefined && !isStringRecord(item.annotations)) {
      throw new Error(`alerts[${i}].annotations: must be an object of strings`);
    }
    const alert: PostableAlert = { labels: item.labels };
    if (item.annotations !== undefined) alert.annotations = item.annotations;
    const startsAt = optionalString(item, 'startsAt', i);
    const endsAt = optionalString(item, 'endsAt', i);
    const generatorURL = optionalString(item, 'generatorURL', i);
    if (startsAt !== undefined) alert.startsAt = startsAt;
    if (endsAt !== undefined) alert.endsAt = endsAt;
    if (generatorURL !== undefined) alert.generatorURL = generatorURL;
    return alert;
  });
}

function alertStatus(endsAt: string | undefined, now: Date): AlertStatus {
  if (!endsAt || endsAt === ZERO_TIME) return 'firing';
  const end = Date.parse(endsAt);
  return Number.isFinite(end) && end <= now.getTime() ? 'resolved' : 'firing';
}

/** The key/value pairs every record shares. */
function commonPairs(records: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const [first, ...rest] = records;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((r) => r[k] === v)));
}

function groupKeyOf(receiver: string, groupLabels: Record<string, string>): string {
  const pairs = Object.keys(groupLabels)
    .sort(compareGoStrings)
    .map((k) => `${k}=${JSON.stringify(groupLabels[k])}`);
  return `{}/${JSON.stringify(receiver)}:{${pairs.join(', ')}}`;
}

/** The notification data Tocsin would hand the adapters for these alerts as one group of the receiver. */
export function buildPreviewData(alerts: readonly PostableAlert[], options: PreviewOptions): NotificationData {
  const nowIso = options.now.toISOString();
  const notified: NotificationAlert[] = alerts.map((a) => ({
    status: options.status ?? alertStatus(a.endsAt, options.now),
    labels: { ...a.labels },
    annotations: { ...(a.annotations ?? {}) },
    startsAt: a.startsAt ?? nowIso,
    endsAt: a.endsAt ?? ZERO_TIME,
    generatorURL: a.generatorURL ?? '',
    fingerprint: fingerprint(a.labels),
  }));
  const commonLabels = commonPairs(notified.map((a) => a.labels));
  const groupBy = options.groupBy ?? [];
  const groupLabels = groupBy.includes('...')
    ? { ...commonLabels }
    : Object.fromEntries(groupBy.filter((k) => commonLabels[k] !== undefined).map((k) => [k, commonLabels[k]]));
  return {
    receiver: options.receiver,
    status: notified.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts: notified,
    groupLabels,
    commonLabels,
    commonAnnotations: commonPairs(notified.map((a) => a.annotations)),
    externalURL: options.externalURL,
    groupKey: groupKeyOf(options.receiver, groupLabels),
    truncatedAlerts: 0,
  };
}

/** What the target's adapter would send, built by the same functions the adapter's send path uses; secrets left out. */
export function renderForTarget(channel: Channel, target: AdapterTarget, data: NotificationData): unknown {
  switch (channel) {
    case Channel.Slack:
      return buildSlackMessage(data, slackOverridesFor(target as SlackTarget, data));
    case Channel.PagerDuty:
      return { ...pagerDutyEventFor(target as PagerDutyTarget, data), routing_key: SECRET_PLACEHOLDER };
    case Channel.Sms: {
      const text = smsTextFor(target as SmsTarget, data);
      return { text, length: text.length };
    }
    case Channel.Email: {
      const email = renderEmailFor(target as EmailTarget, data);
      return { from: email.from, to: email.to, subject: email.subject, text: email.text, html: email.html, headers: email.headers };
    }
    case Channel.Webhook:
      return buildWebhookPayload(data, (target as WebhookTarget).maxAlerts ?? 0);
    case Channel.Log:
      return { message: logMessageFor(target as LogTarget, data), ...logRecordFor(data) };
  }
}

/** Every target of the receiver with what it would send. */
export function renderReceiver(config: TocsinConfig, data: NotificationData): RenderedMessage[] {
  return listTargets(data.receiver, config).flatMap((t): RenderedMessage[] => {
    const target = resolveTarget(config, data.receiver, t.targetKey);
    return target ? [{ channel: t.channel, recipient: t.recipient, message: renderForTarget(t.channel, target, data) }] : [];
  });
}

function humanText(m: RenderedMessage): string {
  const head = `=== ${m.channel} → ${m.recipient}\n`;
  if (m.channel === Channel.Sms) {
    const sms = m.message as { text: string; length: number };
    return `${head}${sms.text}\n(length: ${sms.length})\n`;
  }
  if (m.channel === Channel.Email) {
    const email = m.message as { subject: string; text: string; html: string };
    return `${head}Subject: ${email.subject}\n\n--- text\n${email.text}\n--- html\n${email.html}\n`;
  }
  return `${head}${JSON.stringify(m.message, null, 2)}\n`;
}

interface RenderOptions {
  receiver: string;
  alerts: string;
  config?: string;
  status?: AlertStatus;
  json?: boolean;
}

/** `tocsin template render`: previews what each target of a receiver would send for a file of alerts. */
export function registerTemplateCommands(program: Command, io: CliIo, state: CliState): void {
  const template = program.command('template').description('preview notification templates');
  template
    .command('render')
    .description("print the messages a receiver's targets would send for a file of alerts (no secrets, nothing sent)")
    .requiredOption('--receiver <name>', 'the receiver whose targets to render')
    .requiredOption('--alerts <file>', 'JSON: an array of alerts (labels, annotations, startsAt, endsAt, generatorURL) or a webhook payload')
    .option('--config <file>', 'the config file (default: $TOCSIN_CONFIG or ./tocsin.yml)')
    .addOption(new Option('--status <status>', 'force every alert to this status (default: from endsAt)').choices(['firing', 'resolved']))
    .option('--json', 'print [{ channel, recipient, message }] as JSON')
    .addHelpText('after', '\nExample:\n  $ tocsin template render --receiver team-a --alerts alerts.json --config tocsin.yml --status resolved\n')
    .action((options: RenderOptions) => {
      const configPath = resolve(io.cwd, options.config ?? io.env.TOCSIN_CONFIG ?? 'tocsin.yml');
      const loaded = loadConfigFile(configPath, io.env);
      if (!loaded.ok) {
        for (const e of loaded.errors) io.stdout(`${formatIssue(e)}\n`);
        io.stderr(`${configPath}: ${loaded.errors.length} error${loaded.errors.length === 1 ? '' : 's'}\n`);
        state.exitCode = ExitCode.Failure;
        return;
      }
      const config = loaded.config;
      if (!config.receivers.some((r) => r.name === options.receiver)) {
        io.stderr(`receiver "${options.receiver}" is not defined; defined receivers: ${config.receivers.map((r) => r.name).join(', ')}\n`);
        state.exitCode = ExitCode.Failure;
        return;
      }
      let alerts: PostableAlert[];
      const alertsPath = resolve(io.cwd, options.alerts);
      try {
        alerts = parseAlertsJson(readFileSync(alertsPath, 'utf8'));
      } catch (err) {
        io.stderr(`${alertsPath}: ${err instanceof Error ? err.message : String(err)}\n`);
        state.exitCode = ExitCode.Failure;
        return;
      }
      const data = buildPreviewData(alerts, {
        receiver: options.receiver,
        now: new Date(),
        externalURL: io.env.TOCSIN_EXTERNAL_URL ?? DEFAULT_EXTERNAL_URL,
        ...(options.status ? { status: options.status } : {}),
        ...(config.route.group_by ? { groupBy: config.route.group_by } : {}),
      });
      let rendered: RenderedMessage[];
      try {
        rendered = renderReceiver(config, data);
      } catch (err) {
        io.stderr(`template failed: ${err instanceof Error ? err.message : String(err)}\n`);
        state.exitCode = ExitCode.Failure;
        return;
      }
      if (options.json) io.stdout(`${JSON.stringify(rendered, null, 2)}\n`);
      else if (rendered.length === 0) io.stdout(`receiver "${options.receiver}" has no targets\n`);
      else io.stdout(rendered.map(humanText).join('\n'));
      state.exitCode = ExitCode.Ok;
    });
}
