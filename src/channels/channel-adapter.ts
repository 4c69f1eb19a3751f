/**
 * The one interface every provider implements. An adapter sends one notification to one
 * target and classifies what happened; it never retries by itself (the delivery engine owns
 * the retry policy) and never lets a secret into the error text it returns.
 */
export enum Channel {
  Slack = 'slack',
  PagerDuty = 'pagerduty',
  Sms = 'sms',
  Email = 'email',
  Webhook = 'webhook',
  Log = 'log',
}

export type AlertStatus = 'firing' | 'resolved';

/** One alert as templates and webhook receivers see it (Alertmanager's template data). */
export interface NotificationAlert {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** Alertmanager's notification data (`.Receiver`, `.Status`, `.Alerts`, …), camelCased keys. */
export interface NotificationData {
  receiver: string;
  status: AlertStatus;
  alerts: NotificationAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  groupKey: string;
  truncatedAlerts: number;
}

export interface SendContext {
  deliveryId: string;
  /** 1-based number of this attempt. */
  attempt: number;
  /** Aborted when `delivery.attempt_timeout` runs out. */
  signal: AbortSignal;
  timeoutMs: number;
  /** What an earlier delivered send to the same group and target returned as `state` (e.g. Slack's message ts). */
  previousState?: Record<string, unknown>;
}

export enum SendOutcome {
  Delivered = 'delivered',
  Retry = 'retry',
  Poison = 'poison',
}

interface ResultBase {
  /** Which provider answered: `sendgrid`, `smtp`, `twilio`, `slack-webhook`, `slack-api`, `pagerduty`, `webhook`, `log`. */
  provider: string;
  providerStatus?: number;
  providerCode?: string;
  /** Earlier tries within the same attempt (email failover), oldest first. */
  previous?: SendResult[];
}

export interface DeliveredResult extends ResultBase {
  outcome: SendOutcome.Delivered;
  /** Stored with the group and target, handed back as `previousState` next time. */
  state?: Record<string, unknown>;
}

export interface RetryResult extends ResultBase {
  outcome: SendOutcome.Retry;
  error: string;
  /** Not before this many milliseconds from now (from `Retry-After`). */
  retryAfterMs?: number;
}

export interface PoisonResult extends ResultBase {
  outcome: SendOutcome.Poison;
  error: string;
}

export type SendResult = DeliveredResult | RetryResult | PoisonResult;

export interface ChannelAdapter<TTarget> {
  readonly channel: Channel;
  send(target: TTarget, data: NotificationData, ctx: SendContext): Promise<SendResult>;
}
