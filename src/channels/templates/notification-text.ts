/**
 * Plain functions the default messages of every channel share: titles in Alertmanager's
 * `[FIRING:3] …` form, links, and size-bounded lists that end in "and N more" rather than
 * dropping anything silently.
 */
import type { NotificationAlert, NotificationData } from '../channel-adapter.js';

export function firingAlerts(data: NotificationData): NotificationAlert[] {
  return data.alerts.filter((a) => a.status === 'firing');
}

export function resolvedAlerts(data: NotificationData): NotificationAlert[] {
  return data.alerts.filter((a) => a.status === 'resolved');
}

export function sortedPairs(labels: Record<string, string>): Array<[string, string]> {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Alerts in the group as counted by Alertmanager, including those cut by `max_alerts`. */
export function totalAlerts(data: NotificationData): number {
  return data.alerts.length + data.truncatedAlerts;
}

/** `[FIRING:3] HighLatency api` — Alertmanager's default title: status, firing count, group label values. */
export function statusTitle(data: NotificationData): string {
  const status = data.status.toUpperCase();
  const count = data.status === 'firing' ? `:${firingAlerts(data).length + data.truncatedAlerts}` : '';
  const values = sortedPairs(data.groupLabels).map(([, v]) => v);
  const name = values.length > 0 ? values.join(' ') : (data.commonLabels.alertname ?? data.receiver);
  return `[${status}${count}] ${name}`;
}

export function severityOf(data: NotificationData): string | undefined {
  return data.commonLabels.severity ?? data.alerts[0]?.labels.severity;
}

/** The alert's summary, as Alertmanager users write it (`summary`, else `description`, else `message`). */
export function alertSummary(alert: NotificationAlert): string {
  return alert.annotations.summary ?? alert.annotations.description ?? alert.annotations.message ?? '';
}

export function groupSummary(data: NotificationData): string {
  return (
    data.commonAnnotations.summary ??
    data.commonAnnotations.description ??
    (data.alerts.length === 1 ? alertSummary(data.alerts[0]) : '')
  );
}

export function alertName(alert: NotificationAlert): string {
  return alert.labels.alertname ?? alert.fingerprint;
}

/** `{a="b", c="d"}`, the matcher form the silence form understands. */
export function labelMatchers(labels: Record<string, string>): string {
  return `{${sortedPairs(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(', ')}}`;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * A link that opens the console's new-silence form prefilled with the group's common labels.
 * Empty when no external URL is configured.
 */
export function silenceLink(data: NotificationData, labels: Record<string, string> = data.commonLabels): string {
  if (data.externalURL === '') return '';
  return `${trimSlash(data.externalURL)}/console/silences/new?filter=${encodeURIComponent(labelMatchers(labels))}`;
}

export function runbookLink(data: NotificationData): string | undefined {
  return data.commonAnnotations.runbook_url ?? data.alerts.find((a) => a.annotations.runbook_url)?.annotations.runbook_url;
}

/** Cuts text to `max` characters (code units), ending with `…` when cut. */
export function truncate(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - ellipsis.length)) + ellipsis;
}

export function andMore(count: number): string {
  return `and ${count} more`;
}

/**
 * Packs items into as few chunks as possible, each at most `maxChars` long (items joined by
 * `separator`), using at most `maxChunks` chunks. Items that do not fit are counted in
 * `omitted`; an item longer than a chunk is truncated.
 */
export function packIntoChunks(
  items: readonly string[],
  maxChars: number,
  maxChunks: number,
  separator = '\n',
): { chunks: string[]; omitted: number } {
  const chunks: string[] = [];
  let current = '';
  let used = 0;
  for (const raw of items) {
    const item = truncate(raw, maxChars);
    const candidate = current === '' ? item : `${current}${separator}${item}`;
    if (candidate.length <= maxChars) {
      current = candidate;
      used += 1;
      continue;
    }
    if (chunks.length + 1 >= maxChunks) break;
    chunks.push(current);
    current = item;
    used += 1;
  }
  if (current !== '') chunks.push(current);
  return { chunks, omitted: items.length - used };
}

/** One line per alert: `HighLatency api-1 — p99 above 2s` (labels other than alertname as values). */
export function alertLine(alert: NotificationAlert): string {
  const labels = sortedPairs(alert.labels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const summary = alertSummary(alert);
  return `${alertName(alert)}${labels ? ` (${labels})` : ''}${summary ? ` — ${summary}` : ''}`;
}
