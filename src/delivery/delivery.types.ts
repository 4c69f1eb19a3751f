import type { Channel, NotificationData } from '../channels/channel-adapter.js';

/** Values of `alert_deliveries.status` (backed by a CHECK constraint). */
export enum DeliveryStatus {
  Pending = 'pending',
  Sending = 'sending',
  Delivered = 'delivered',
  Poison = 'poison',
  Discarded = 'discarded',
  Coalesced = 'coalesced',
}

/** Values of `delivery_attempts.outcome`. */
export enum AttemptOutcome {
  Delivered = 'delivered',
  Retry = 'retry',
  Poison = 'poison',
  /** The worker gave the delivery back unsent (shutdown). */
  Released = 'released',
}

/** What a group flush asks to be delivered: one row per target. */
export interface NewDelivery {
  channel: Channel;
  recipient: string;
  receiver: string;
  targetKey: string;
  groupId: string | null;
  groupKey: string;
  fingerprints: string[];
  payload: NotificationData;
  /** When the notification became due (its flush): the start of delivery latency. */
  dueAt: Date;
}
