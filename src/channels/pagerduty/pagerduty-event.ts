/**
 * PagerDuty Events API v2 event for a notification: trigger or resolve, `dedup_key` = the hash of
 * the group key (as Alertmanager), summary ≤ 1,024 characters, severity from the `severity`
 * label, default custom details listing firing and resolved alerts, and the whole event kept
 * under PagerDuty's 512 KB with "and N more" in the lists.
 */
import { hashGroupKey } from '../../alerts/route.js';
import type { NotificationData } from '../channel-adapter.js';
import {
  alertLine,
  andMore,
  firingAlerts,
  resolvedAlerts,
  runbookLink,
  severityOf,
  statusTitle,
  truncate,
} from '../templates/notification-text.js';
import { PagerDutySeverity } from './pagerduty.types.js';

export const PAGERDUTY_MAX_SUMMARY = 1024;
export const PAGERDUTY_MAX_EVENT_BYTES = 512 * 1024;
const PAGERDUTY_MAX_DEDUP_KEY = 255;
/** Room left for everything but the alert lists. */
const DETAILS_BUDGET_BYTES = PAGERDUTY_MAX_EVENT_BYTES - 32 * 1024;

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details: Record<string, unknown>;
  };
  client?: string;
  client_url?: string;
  links?: Array<{ href: string; text?: string }>;
  images?: Array<{ src: string; alt?: string; href?: string }>;
}

/** Rendered overrides from `pagerduty_configs`. */
export interface PagerDutyEventOverrides {
  summary?: string;
  client?: string;
  clientUrl?: string;
  source?: string;
  severity?: string;
  class?: string;
  component?: string;
  group?: string;
  details?: Record<string, string>;
  links?: Array<{ href: string; text?: string }>;
  images?: Array<{ src: string; alt?: string; href?: string }>;
}

const SEVERITY_ALIASES: Record<string, PagerDutySeverity> = {
  critical: PagerDutySeverity.Critical,
  crit: PagerDutySeverity.Critical,
  page: PagerDutySeverity.Critical,
  p1: PagerDutySeverity.Critical,
  high: PagerDutySeverity.Critical,
  error: PagerDutySeverity.Error,
  err: PagerDutySeverity.Error,
  major: PagerDutySeverity.Error,
  p2: PagerDutySeverity.Error,
  warning: PagerDutySeverity.Warning,
  warn: PagerDutySeverity.Warning,
  minor: PagerDutySeverity.Warning,
  medium: PagerDutySeverity.Warning,
  p3: PagerDutySeverity.Warning,
  info: PagerDutySeverity.Info,
  informational: PagerDutySeverity.Info,
  low: PagerDutySeverity.Info,
  none: PagerDutySeverity.Info,
  p4: PagerDutySeverity.Info,
  p5: PagerDutySeverity.Info,
};

/** Maps a `severity` label to PagerDuty's four levels; unknown or missing → `error` (Alertmanager's default). */
export function pagerDutySeverity(value: string | undefined): PagerDutySeverity {
  if (value === undefined) return PagerDutySeverity.Error;
  return SEVERITY_ALIASES[value.trim().toLowerCase()] ?? PagerDutySeverity.Error;
}

/** The stable `dedup_key` for a group: SHA-256 hex of the group key (64 characters, within PagerDuty's 255). */
export function pagerDutyDedupKey(groupKey: string): string {
  return truncate(hashGroupKey(groupKey), PAGERDUTY_MAX_DEDUP_KEY, '');
}

/** One line per alert, cut to fit `maxBytes` (UTF-8) with "and N more". */
function alertList(lines: readonly string[], maxBytes: number): string {
  const kept: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (bytes + size > maxBytes) break;
    kept.push(line);
    bytes += size;
  }
  const hidden = lines.length - kept.length;
  return (hidden > 0 ? [...kept, andMore(hidden)] : kept).join('\n');
}

export function defaultPagerDutyDetails(data: NotificationData): Record<string, unknown> {
  const firing = firingAlerts(data).map(alertLine);
  const resolved = resolvedAlerts(data).map(alertLine);
  const total = firing.length + resolved.length || 1;
  const firingBudget = Math.floor((DETAILS_BUDGET_BYTES * firing.length) / total);
  const resolvedBudget = DETAILS_BUDGET_BYTES - firingBudget;
  let firingText = alertList(firing, Math.max(firingBudget, 1024));
  if (data.truncatedAlerts > 0) firingText = `${firingText}\n${andMore(data.truncatedAlerts)} (cut by max_alerts)`.trim();
  return {
    firing: firingText,
    resolved: alertList(resolved, Math.max(resolvedBudget, 1024)),
    num_firing: firing.length + data.truncatedAlerts,
    num_resolved: resolved.length,
  };
}

function defaultLinks(data: NotificationData): Array<{ href: string; text: string }> {
  const links: Array<{ href: string; text: string }> = [];
  const runbook = runbookLink(data);
  if (runbook) links.push({ href: runbook, text: 'Runbook' });
  const sources = [...new Set(data.alerts.map((a) => a.generatorURL).filter((u) => /^https?:\/\//.test(u)))];
  for (const href of sources.slice(0, 5)) links.push({ href, text: 'Source' });
  return links;
}

export function buildPagerDutyEvent(
  data: NotificationData,
  routingKey: string,
  overrides: PagerDutyEventOverrides = {},
): PagerDutyEvent {
  const dedupKey = pagerDutyDedupKey(data.groupKey);
  const client = overrides.client ?? 'Tocsin';
  const clientUrl = overrides.clientUrl ?? data.externalURL;
  if (data.status === 'resolved') {
    return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  }
  const summary = truncate(overrides.summary ?? statusTitle(data), PAGERDUTY_MAX_SUMMARY);
  const details: Record<string, unknown> = overrides.details ?? defaultPagerDutyDetails(data);
  const event: PagerDutyEvent = {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary,
      source: overrides.source ?? client,
      severity: pagerDutySeverity(overrides.severity ?? severityOf(data)),
      custom_details: details,
      ...(overrides.component ? { component: overrides.component } : {}),
      ...(overrides.group ? { group: overrides.group } : {}),
      ...(overrides.class ? { class: overrides.class } : {}),
    },
    client,
    ...(clientUrl ? { client_url: clientUrl } : {}),
    links: overrides.links ?? defaultLinks(data),
    ...(overrides.images && overrides.images.length > 0 ? { images: overrides.images } : {}),
  };
  return fitEvent(event);
}

/** Last resort for templated details: cut string values until the event is within 512 KB. */
function fitEvent(event: PagerDutyEvent): PagerDutyEvent {
  let size = Buffer.byteLength(JSON.stringify(event));
  if (size <= PAGERDUTY_MAX_EVENT_BYTES || !event.payload) return event;
  const details = { ...event.payload.custom_details };
  const keys = Object.keys(details).sort(
    (a, b) => String(details[b]).length - String(details[a]).length,
  );
  for (const key of keys) {
    if (size <= PAGERDUTY_MAX_EVENT_BYTES) break;
    const value = typeof details[key] === 'string' ? (details[key] as string) : JSON.stringify(details[key]);
    const excess = size - PAGERDUTY_MAX_EVENT_BYTES + 1024;
    const keep = Math.max(0, value.length - excess);
    details[key] = `${value.slice(0, keep)}… (truncated: ${value.length - keep} characters more)`;
    size = Buffer.byteLength(JSON.stringify({ ...event, payload: { ...event.payload, custom_details: details } }));
  }
  return { ...event, payload: { ...event.payload, custom_details: details } };
}
