/**
 * The default email: subject `[FIRING:3] HighLatency api`, a plain-text body and an HTML body
 * listing every alert with its labels, annotations and links, and a silence link.
 */
import type { NotificationAlert, NotificationData } from '../channel-adapter.js';
import {
  alertName,
  groupSummary,
  runbookLink,
  silenceLink,
  sortedPairs,
  statusTitle,
  truncate,
} from '../templates/notification-text.js';

export const EMAIL_MAX_SUBJECT = 255;

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function safeHref(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? escapeHtml(url) : undefined;
}

function alertText(alert: NotificationAlert): string {
  const lines = [`- ${alertName(alert)} [${alert.status}] since ${alert.startsAt}`];
  for (const [k, v] of sortedPairs(alert.labels)) lines.push(`    ${k} = ${v}`);
  for (const [k, v] of sortedPairs(alert.annotations)) lines.push(`    ${k}: ${v}`);
  if (alert.generatorURL) lines.push(`    source: ${alert.generatorURL}`);
  return lines.join('\n');
}

function alertHtml(alert: NotificationAlert): string {
  const labels = sortedPairs(alert.labels)
    .map(([k, v]) => `<code>${escapeHtml(k)}=${escapeHtml(v)}</code>`)
    .join(' ');
  const annotations = sortedPairs(alert.annotations)
    .map(([k, v]) => `<div><strong>${escapeHtml(k)}:</strong> ${escapeHtml(v)}</div>`)
    .join('');
  const source = safeHref(alert.generatorURL);
  return (
    `<li><strong>${escapeHtml(alertName(alert))}</strong> [${escapeHtml(alert.status)}] since ${escapeHtml(alert.startsAt)}` +
    `<div>${labels}</div>${annotations}${source ? `<div><a href="${source}">Source</a></div>` : ''}</li>`
  );
}

export function emailSubject(data: NotificationData): string {
  return truncate(statusTitle(data), EMAIL_MAX_SUBJECT);
}

export function buildEmailContent(data: NotificationData, overrides: Partial<EmailContent> = {}): EmailContent {
  const title = statusTitle(data);
  const summary = groupSummary(data);
  const firing = data.alerts.filter((a) => a.status === 'firing');
  const resolved = data.alerts.filter((a) => a.status === 'resolved');
  const runbook = runbookLink(data);
  const silence = data.status === 'firing' ? silenceLink(data) : '';
  const truncatedNote = data.truncatedAlerts > 0 ? `and ${data.truncatedAlerts} more alerts not listed (max_alerts)` : '';

  const text = [
    title,
    summary,
    '',
    firing.length > 0 ? `Firing (${firing.length}):\n${firing.map(alertText).join('\n')}` : '',
    resolved.length > 0 ? `Resolved (${resolved.length}):\n${resolved.map(alertText).join('\n')}` : '',
    truncatedNote,
    '',
    runbook ? `Runbook: ${runbook}` : '',
    silence ? `Silence: ${silence}` : '',
    `Receiver: ${data.receiver}`,
  ]
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .trim();

  const colour = data.status === 'firing' ? '#E01E5A' : '#2EB67D';
  const runbookHref = runbook ? safeHref(runbook) : undefined;
  const silenceHref = silence ? safeHref(silence) : undefined;
  const html = [
    '<!DOCTYPE html><html><body style="font-family:sans-serif">',
    `<h2 style="color:${colour}">${escapeHtml(title)}</h2>`,
    summary ? `<p>${escapeHtml(summary)}</p>` : '',
    firing.length > 0 ? `<h3>Firing (${firing.length})</h3><ul>${firing.map(alertHtml).join('')}</ul>` : '',
    resolved.length > 0 ? `<h3>Resolved (${resolved.length})</h3><ul>${resolved.map(alertHtml).join('')}</ul>` : '',
    truncatedNote ? `<p>${escapeHtml(truncatedNote)}</p>` : '',
    runbookHref || silenceHref
      ? `<p>${[runbookHref ? `<a href="${runbookHref}">Runbook</a>` : '', silenceHref ? `<a href="${silenceHref}">Silence</a>` : '']
          .filter(Boolean)
          .join(' · ')}</p>`
      : '',
    `<p style="color:#888">Receiver: ${escapeHtml(data.receiver)}</p>`,
    '</body></html>',
  ].join('');

  return {
    subject: truncate((overrides.subject ?? emailSubject(data)).replace(/[\r\n]+/g, ' '), EMAIL_MAX_SUBJECT),
    text: overrides.text ?? text,
    html: overrides.html ?? html,
  };
}
