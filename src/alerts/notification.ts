import type { NotificationAlert, NotificationData } from '../channels/channel-adapter.js';
import { type AlertRecord, AlertStatus, isResolvedAt } from './alert.types.js';

/** Go's zero time: what Alertmanager shows as the end of a firing alert in notifications. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Labels (or annotations) every alert carries with the same value. */
export function commonPairs(maps: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const out: Record<string, string> = { ...maps[0] };
  for (const m of maps.slice(1)) {
    for (const k of Object.keys(out)) if (m[k] !== out[k]) delete out[k];
  }
  return out;
}

export function toNotificationAlert(a: AlertRecord, now: Date): NotificationAlert {
  const resolved = isResolvedAt(a, now);
  return {
    status: resolved ? AlertStatus.Resolved : AlertStatus.Firing,
    labels: a.labels,
    annotations: a.annotations,
    startsAt: a.startsAt.toISOString(),
    // Alertmanager zeroes the end of alerts still firing, so they never look resolved later.
    endsAt: resolved ? a.endsAt.toISOString() : GO_ZERO_TIME,
    generatorURL: a.generatorURL,
    fingerprint: a.fingerprint,
  };
}

/** Alertmanager's notification data for one group and receiver. */
export function buildNotification(input: {
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  alerts: readonly AlertRecord[];
  externalURL: string;
  now: Date;
}): NotificationData {
  const alerts = input.alerts.map((a) => toNotificationAlert(a, input.now));
  return {
    receiver: input.receiver,
    status: alerts.some((a) => a.status === AlertStatus.Firing) ? AlertStatus.Firing : AlertStatus.Resolved,
    alerts,
    groupLabels: input.groupLabels,
    commonLabels: commonPairs(input.alerts.map((a) => a.labels)),
    commonAnnotations: commonPairs(input.alerts.map((a) => a.annotations)),
    externalURL: input.externalURL,
    groupKey: input.groupKey,
    truncatedAlerts: 0,
  };
}
