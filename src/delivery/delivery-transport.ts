/**
 * How the delivery engine reaches a provider: it asks for the sender of one config target
 * (found by receiver name and target key in the running config, so secrets stay out of the
 * database) and hands it the notification. `undefined` means a reload removed that target.
 */
import type { Channel, NotificationData, SendContext, SendResult } from '../channels/channel-adapter.js';
import type { TocsinConfig } from '../config/config.types.js';

export interface TargetRef {
  channel: Channel;
  receiver: string;
  targetKey: string;
}

export interface PreparedSend {
  send(data: NotificationData, ctx: SendContext): Promise<SendResult>;
}

export interface DeliveryTransport {
  /** False when no channel adapters are available: the worker then does not start. */
  readonly ready: boolean;
  prepare(config: TocsinConfig, ref: TargetRef): PreparedSend | undefined;
}

export const DELIVERY_TRANSPORT = Symbol('DeliveryTransport');
