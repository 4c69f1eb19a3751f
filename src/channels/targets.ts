import type { TocsinConfig } from '../config/config.types.js';
import { Channel } from './channel-adapter.js';

/**
 * The delivery targets of a receiver: one per `*_configs` entry, and one per address for email
 * and SMS. `recipient` is human-readable and never a secret; `targetKey` names the target
 * within the receiver (stable across reloads while the config entry stays in place).
 *
 * Minimal version written by the alerts engineer against the agreed interface, for the channels
 * engineer to replace.
 */
export interface DeliveryTarget {
  channel: Channel;
  recipient: string;
  targetKey: string;
  sendResolved: boolean;
}

function webhookRecipient(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'webhook';
  }
}

export function listTargets(receiverName: string, config: TocsinConfig): DeliveryTarget[] {
  const r = config.receivers.find((x) => x.name === receiverName);
  if (!r) return [];
  const out: DeliveryTarget[] = [];
  r.slack_configs.forEach((c, i) =>
    out.push({ channel: Channel.Slack, recipient: c.channel ?? `slack:${receiverName}`, targetKey: `slack_configs[${i}]`, sendResolved: c.send_resolved }),
  );
  r.pagerduty_configs.forEach((c, i) =>
    out.push({ channel: Channel.PagerDuty, recipient: `pagerduty:${c.service_name ?? receiverName}`, targetKey: `pagerduty_configs[${i}]`, sendResolved: c.send_resolved }),
  );
  r.email_configs.forEach((c, i) =>
    c.to.forEach((to) => out.push({ channel: Channel.Email, recipient: to, targetKey: `email_configs[${i}]:${to}`, sendResolved: c.send_resolved })),
  );
  r.sms_configs.forEach((c, i) =>
    c.to.forEach((to) => out.push({ channel: Channel.Sms, recipient: to, targetKey: `sms_configs[${i}]:${to}`, sendResolved: c.send_resolved })),
  );
  r.webhook_configs.forEach((c, i) =>
    out.push({ channel: Channel.Webhook, recipient: webhookRecipient(c.url), targetKey: `webhook_configs[${i}]`, sendResolved: c.send_resolved }),
  );
  r.log_configs.forEach((c, i) => out.push({ channel: Channel.Log, recipient: `log:${receiverName}`, targetKey: `log_configs[${i}]`, sendResolved: c.send_resolved }));
  return out;
}
