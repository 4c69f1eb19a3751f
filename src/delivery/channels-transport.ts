import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ChannelAdapter } from '../channels/channel-adapter.js';
import * as targets from '../channels/targets.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { ROOT_LOGGER } from '../common/tokens.js';
import type { TocsinConfig } from '../config/config.types.js';
import type { DeliveryTransport, PreparedSend, TargetRef } from './delivery-transport.js';

/**
 * The agreed channels interface (src/channels/targets.ts): `resolveTarget` finds a target's
 * adapter settings in the running config (undefined when a reload removed it) and
 * `createAdapters` builds one adapter per channel.
 */
interface ChannelsApi {
  resolveTarget(config: TocsinConfig, receiverName: string, targetKey: string): unknown;
  createAdapters(deps: { clock: Clock; logger: Logger }): ReadonlyMap<string, ChannelAdapter<unknown>> | Readonly<Record<string, ChannelAdapter<unknown>>>;
}

function channelsApi(): ChannelsApi | null {
  const api = targets as unknown as Partial<ChannelsApi>;
  return typeof api.resolveTarget === 'function' && typeof api.createAdapters === 'function' ? (api as ChannelsApi) : null;
}

/** The channel adapters behind the delivery engine, targets looked up in the running config. */
@Injectable()
export class ChannelsTransport implements DeliveryTransport {
  readonly ready: boolean;
  private readonly api: ChannelsApi | null;
  private readonly adapters = new Map<string, ChannelAdapter<unknown>>();

  constructor(@Inject(CLOCK) clock: Clock, @Inject(ROOT_LOGGER) logger: Logger) {
    this.api = channelsApi();
    this.ready = this.api !== null;
    if (!this.api) {
      logger.error('channel targets (resolveTarget/createAdapters) are not available; deliveries stay pending');
      return;
    }
    const made = this.api.createAdapters({ clock, logger });
    const entries = made instanceof Map ? [...made.entries()] : Object.entries(made);
    for (const [channel, adapter] of entries) this.adapters.set(channel, adapter);
  }

  prepare(config: TocsinConfig, ref: TargetRef): PreparedSend | undefined {
    const target = this.api?.resolveTarget(config, ref.receiver, ref.targetKey);
    const adapter = this.adapters.get(ref.channel);
    if (target === undefined || target === null || !adapter) return undefined;
    return { send: (data, ctx) => adapter.send(target, data, ctx) };
  }
}
