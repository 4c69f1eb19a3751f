/** Alertmanager's webhook payload, version "4", with `max_alerts` applied as Alertmanager does. */
import type { NotificationAlert, NotificationData } from '../channel-adapter.js';

export interface WebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: string;
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: NotificationAlert[];
}

export function buildWebhookPayload(data: NotificationData, maxAlerts = 0): WebhookPayload {
  const keep = maxAlerts > 0 ? Math.min(maxAlerts, data.alerts.length) : data.alerts.length;
  return {
    version: '4',
    groupKey: data.groupKey,
    truncatedAlerts: data.truncatedAlerts + (data.alerts.length - keep),
    status: data.status,
    receiver: data.receiver,
    groupLabels: data.groupLabels,
    commonLabels: data.commonLabels,
    commonAnnotations: data.commonAnnotations,
    externalURL: data.externalURL,
    alerts: data.alerts.slice(0, keep),
  };
}
