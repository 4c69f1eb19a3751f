/** A generic webhook receiver: records what Tocsin POSTs (Alertmanager webhook v4 payloads) and answers 200. */
import type { NotificationAlert } from '../../src/channels/channel-adapter.js';
import { type HttpDouble, startHttpDouble } from './http-double.js';

/** Alertmanager's webhook payload, version "4". */
export interface WebhookV4Payload {
  version: string;
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

export interface WebhookSinkDouble extends HttpDouble {
  readonly payloads: WebhookV4Payload[];
}

export async function startWebhookSinkDouble(): Promise<WebhookSinkDouble> {
  const double = await startHttpDouble({ status: 200, body: '' });
  return Object.defineProperty(double, 'payloads', {
    get: () => double.requests.map((r) => r.json as WebhookV4Payload),
  }) as WebhookSinkDouble;
}
