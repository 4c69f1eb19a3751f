/**
 * The `log` channel: the notification as one structured pino line. Always delivered; the
 * default route of a config-less start goes here.
 */
import type { Logger } from 'pino';
import {
  Channel,
  type ChannelAdapter,
  type NotificationData,
  type SendContext,
  SendOutcome,
  type SendResult,
} from '../channel-adapter.js';
import { redactSecrets } from '../redact.js';
import type { CompiledTemplate } from '../templates/template-engine.js';
import { renderOverride } from '../templates/template-field.js';
import { statusTitle } from '../templates/notification-text.js';

export const LOG_PROVIDER = 'log';

export interface LogTarget {
  receiver: string;
  message?: CompiledTemplate;
}

/** The line's message: the target's `message` template, else the status title (the `template render` CLI previews the same). */
export function logMessageFor(target: LogTarget, data: NotificationData): string {
  try {
    return renderOverride(target.message, data) ?? statusTitle(data);
  } catch (err) {
    return `${statusTitle(data)} (message template failed: ${redactSecrets(String(err))})`;
  }
}

/** The structured fields of the notification line (the `template render` CLI previews the same). */
export function logRecordFor(data: NotificationData): Record<string, unknown> {
  return {
    receiver: data.receiver,
    status: data.status,
    groupKey: data.groupKey,
    groupLabels: data.groupLabels,
    commonLabels: data.commonLabels,
    commonAnnotations: data.commonAnnotations,
    truncatedAlerts: data.truncatedAlerts,
    alerts: data.alerts.map((a) => ({
      status: a.status,
      fingerprint: a.fingerprint,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      generatorURL: a.generatorURL,
    })),
  };
}

export class LogAdapter implements ChannelAdapter<LogTarget> {
  readonly channel = Channel.Log;

  constructor(private readonly logger: Logger) {}

  async send(target: LogTarget, data: NotificationData, ctx: SendContext): Promise<SendResult> {
    const message = logMessageFor(target, data);
    this.logger.info({ event: 'notification', deliveryId: ctx.deliveryId, attempt: ctx.attempt, ...logRecordFor(data) }, message);
    return { provider: LOG_PROVIDER, outcome: SendOutcome.Delivered };
  }
}
