/**
 * Folding many waiting notifications for one target into one summary (pure): the summary names
 * every alert of every folded notification (the same alert in several of them appears once, in
 * its newest state); the adapter truncates with "and N more" only at the provider's size limit.
 */
import { Channel, type NotificationAlert, type NotificationData } from '../channels/channel-adapter.js';

/** Chat, SMS and email targets are coalesced; PagerDuty and webhooks never are (nor the log). */
export const COALESCED_CHANNELS: readonly Channel[] = [Channel.Slack, Channel.Sms, Channel.Email];

function commonEntries(maps: readonly Record<string, string>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(maps[0])) {
    if (maps.every((m) => m[key] === value)) out[key] = value;
  }
  return out;
}

/** `payloads` oldest first. */
export function buildSummary(payloads: readonly NotificationData[], groupKey: string): NotificationData {
  if (payloads.length === 0) throw new Error('nothing to summarise');
  const byAlert = new Map<string, NotificationAlert>();
  for (const payload of payloads) {
    for (const alert of payload.alerts) {
      const key = alert.fingerprint || JSON.stringify(alert.labels);
      byAlert.delete(key);
      byAlert.set(key, alert);
    }
  }
  const alerts = [...byAlert.values()];
  const firing = alerts.filter((a) => a.status === 'firing');
  const ordered = [...firing, ...alerts.filter((a) => a.status !== 'firing')];
  const newest = payloads[payloads.length - 1];
  return {
    receiver: newest.receiver,
    status: firing.length > 0 ? 'firing' : 'resolved',
    alerts: ordered,
    groupLabels: commonEntries(payloads.map((p) => p.groupLabels)),
    commonLabels: commonEntries(ordered.map((a) => a.labels)),
    commonAnnotations: commonEntries(ordered.map((a) => a.annotations)),
    externalURL: newest.externalURL,
    groupKey,
    truncatedAlerts: payloads.reduce((n, p) => n + (p.truncatedAlerts ?? 0), 0),
  };
}
