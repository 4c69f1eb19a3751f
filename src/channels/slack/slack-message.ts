/**
 * Slack's default message: an attachment (for the status/severity colour bar) holding Block
 * Kit blocks — title, status line, summary, one line per alert, labels, annotations and link
 * buttons. Stays within Slack's limits (50 blocks, 3,000 characters per text block, 150 per
 * header) for any group size; what does not fit is counted in an "and N more" line.
 */
import type { NotificationData } from '../channel-adapter.js';
import {
  alertName,
  alertSummary,
  andMore,
  groupSummary,
  packIntoChunks,
  runbookLink,
  severityOf,
  silenceLink,
  sortedPairs,
  statusTitle,
  truncate,
} from '../templates/notification-text.js';

export const SLACK_MAX_BLOCKS = 50;
export const SLACK_MAX_TEXT = 3000;
export const SLACK_MAX_HEADER = 150;
const SLACK_MAX_BUTTON_TEXT = 75;
const SLACK_MAX_FALLBACK_TEXT = 4000;

export type SlackTextObject = { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };

export type SlackBlock =
  | { type: 'header'; text: SlackTextObject }
  | { type: 'section'; text: SlackTextObject }
  | { type: 'context'; elements: SlackTextObject[] }
  | { type: 'divider' }
  | { type: 'actions'; elements: Array<{ type: 'button'; text: SlackTextObject; url: string; action_id: string }> };

export interface SlackAttachment {
  color: string;
  fallback: string;
  pretext?: string;
  blocks: SlackBlock[];
}

export interface SlackMessage {
  text: string;
  attachments: SlackAttachment[];
  channel?: string;
  username?: string;
  icon_emoji?: string;
  icon_url?: string;
}

/** Already-rendered values of a receiver's `slack_configs` fields. */
export interface SlackMessageOverrides {
  title?: string;
  titleLink?: string;
  text?: string;
  color?: string;
  pretext?: string;
  fallback?: string;
  footer?: string;
  channel?: string;
  username?: string;
  iconEmoji?: string;
  iconUrl?: string;
}

const SEVERITY_COLOURS: Record<string, string> = {
  critical: '#E01E5A',
  error: '#E01E5A',
  high: '#E01E5A',
  warning: '#ECB22E',
  info: '#36C5F0',
  low: '#36C5F0',
};
export const RESOLVED_COLOUR = '#2EB67D';
const DEFAULT_FIRING_COLOUR = '#E01E5A';

export function slackColour(data: NotificationData): string {
  if (data.status === 'resolved') return RESOLVED_COLOUR;
  return SEVERITY_COLOURS[(severityOf(data) ?? '').toLowerCase()] ?? DEFAULT_FIRING_COLOUR;
}

/** Escapes Slack's control characters in mrkdwn text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function mrkdwn(text: string): SlackTextObject {
  return { type: 'mrkdwn', text: truncate(text, SLACK_MAX_TEXT) };
}

function safeUrl(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url) || url.length > SLACK_MAX_TEXT) return undefined;
  return url;
}

function link(url: string, label: string): string {
  const target = safeUrl(url);
  return target ? `<${target.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${escapeMrkdwn(label)}>` : escapeMrkdwn(label);
}

function alertLineMrkdwn(data: NotificationData, index: number): string {
  const alert = data.alerts[index];
  const labels = sortedPairs(alert.labels)
    .filter(([k]) => k !== 'alertname' && data.commonLabels[k] === undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const summary = alertSummary(alert);
  const state = data.status !== alert.status ? ` [${alert.status}]` : '';
  const source = safeUrl(alert.generatorURL) ? ` ${link(alert.generatorURL, 'source')}` : '';
  return truncate(
    `• *${escapeMrkdwn(alertName(alert))}*${state}${labels ? ` \`${escapeMrkdwn(labels)}\`` : ''}${
      summary ? ` — ${escapeMrkdwn(summary)}` : ''
    }${source}`,
    SLACK_MAX_TEXT,
  );
}

function kvLine(label: string, pairs: Array<[string, string]>): string {
  return `*${label}:* ${pairs.map(([k, v]) => `${escapeMrkdwn(k)}=${escapeMrkdwn(v)}`).join(', ')}`;
}

export function buildSlackMessage(data: NotificationData, overrides: SlackMessageOverrides = {}): SlackMessage {
  const title = overrides.title ?? statusTitle(data);
  const summary = groupSummary(data);
  const head: SlackBlock[] = [];
  if (overrides.titleLink && safeUrl(overrides.titleLink)) {
    head.push({ type: 'section', text: mrkdwn(`*${link(overrides.titleLink, truncate(title, SLACK_MAX_HEADER))}*`) });
  } else {
    head.push({ type: 'header', text: { type: 'plain_text', text: truncate(title, SLACK_MAX_HEADER), emoji: true } });
  }
  const severity = severityOf(data);
  const statusParts = [`*Status:* ${data.status}`];
  if (severity) statusParts.push(`*Severity:* ${escapeMrkdwn(severity)}`);
  statusParts.push(`*Alerts:* ${data.alerts.length + data.truncatedAlerts}`);
  statusParts.push(`*Receiver:* ${escapeMrkdwn(data.receiver)}`);
  head.push({ type: 'context', elements: [mrkdwn(statusParts.join('  ·  '))] });
  if (summary && overrides.text === undefined) head.push({ type: 'section', text: mrkdwn(escapeMrkdwn(summary)) });

  const tail: SlackBlock[] = [];
  const commonLabels = sortedPairs(data.commonLabels);
  const annotations = sortedPairs(data.commonAnnotations).filter(([k]) => k !== 'summary' && k !== 'runbook_url');
  const details: string[] = [];
  if (commonLabels.length > 0) details.push(kvLine('Labels', commonLabels));
  if (annotations.length > 0) details.push(kvLine('Annotations', annotations));
  if (details.length > 0) tail.push({ type: 'context', elements: [mrkdwn(details.join('\n'))] });
  if (overrides.footer) tail.push({ type: 'context', elements: [mrkdwn(overrides.footer)] });
  const buttons: Array<{ type: 'button'; text: SlackTextObject; url: string; action_id: string }> = [];
  const runbook = runbookLink(data);
  const firstSource = data.alerts.find((a) => safeUrl(a.generatorURL))?.generatorURL;
  const silence = silenceLink(data);
  const addButton = (label: string, url: string | undefined, id: string): void => {
    const target = url ? safeUrl(url) : undefined;
    if (target) buttons.push({ type: 'button', text: { type: 'plain_text', text: truncate(label, SLACK_MAX_BUTTON_TEXT) }, url: target, action_id: id });
  };
  addButton('Runbook', runbook, 'runbook');
  addButton('Source', firstSource, 'source');
  if (data.status === 'firing') addButton('Silence', silence, 'silence');
  if (buttons.length > 0) tail.push({ type: 'actions', elements: buttons });

  // Body: the receiver's `text` override, or one line per alert; packed into ≤3,000-character
  // sections within the block budget, the rest counted.
  const moreBlock = 1;
  const budget = SLACK_MAX_BLOCKS - head.length - tail.length - moreBlock;
  const lines =
    overrides.text !== undefined
      ? overrides.text.split('\n')
      : data.alerts.map((_, i) => alertLineMrkdwn(data, i));
  const { chunks, omitted } = packIntoChunks(lines, SLACK_MAX_TEXT, budget);
  const body: SlackBlock[] = chunks.map((chunk): SlackBlock => ({ type: 'section', text: mrkdwn(chunk) }));
  const hiddenAlerts = (overrides.text !== undefined ? 0 : omitted) + data.truncatedAlerts;
  const hiddenLines = overrides.text !== undefined ? omitted : 0;
  if (hiddenAlerts > 0) body.push({ type: 'context', elements: [mrkdwn(`${andMore(hiddenAlerts)} alerts`)] });
  else if (hiddenLines > 0) body.push({ type: 'context', elements: [mrkdwn(`${andMore(hiddenLines)} lines`)] });

  const fallback = truncate(overrides.fallback ?? (summary ? `${title}: ${summary}` : title), SLACK_MAX_FALLBACK_TEXT);
  const attachment: SlackAttachment = { color: overrides.color ?? slackColour(data), fallback, blocks: [...head, ...body, ...tail] };
  if (overrides.pretext) attachment.pretext = truncate(overrides.pretext, SLACK_MAX_TEXT);
  const message: SlackMessage = { text: fallback, attachments: [attachment] };
  if (overrides.channel) message.channel = overrides.channel;
  if (overrides.username) message.username = overrides.username;
  if (overrides.iconEmoji) message.icon_emoji = overrides.iconEmoji;
  else if (overrides.iconUrl) message.icon_url = overrides.iconUrl;
  return message;
}
