import { Inject, Injectable } from '@nestjs/common';
import type { Channel } from '../channels/channel-adapter.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { formatDuration, parseDuration } from '../common/duration.js';
import { decodeCursor, type Page, toPage } from '../common/pagination.js';
import { notFound } from '../common/app-error.js';
import { Database } from '../db/database.service.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import type { DeliveryDetail, DeliveryFilter, DeliveryStats, DeliveryView } from './deliveries.types.js';

/** Reading deliveries: lists, one delivery with its attempts, and recent statistics. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly db: Database,
    private readonly repo: DeliveriesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(filter: DeliveryFilter, limit: number, cursor: string | undefined): Promise<Page<DeliveryView>> {
    const rows = await this.repo.list(this.db.reader, filter, limit + 1, decodeCursor(cursor));
    return toPage(rows, limit);
  }

  async listPoison(channel: Channel | undefined, limit: number, cursor: string | undefined): Promise<Page<DeliveryView>> {
    const rows = await this.repo.listPoison(this.db.reader, channel, limit + 1, decodeCursor(cursor));
    return toPage(rows, limit);
  }

  async get(id: string): Promise<DeliveryDetail> {
    const tx = this.db.reader;
    const delivery = await this.repo.findById(tx, id);
    if (!delivery) throw notFound(`delivery ${id}`);
    return { ...delivery, attempts: await this.repo.attempts(tx, id) };
  }

  /**
   * Over the last `window`: deliveries created, by status and by channel; deliveries accepted per
   * minute; and the P95 of delivery latency (delivered_at − due_at, so a replay counts from the replay).
   */
  async stats(window: string): Promise<DeliveryStats> {
    const windowMs = parseDuration(window);
    const since = new Date(this.clock.now().getTime() - windowMs);
    const [counts, delivered] = await Promise.all([
      this.repo.countsSince(this.db.reader, since),
      this.repo.deliveredSince(this.db.reader, since),
    ]);
    const byStatus: Record<string, number> = {};
    const byChannel: Record<string, Record<string, number>> = {};
    for (const c of counts) {
      byStatus[c.status] = (byStatus[c.status] ?? 0) + c.n;
      byChannel[c.channel] ??= {};
      byChannel[c.channel][c.status] = c.n;
    }
    return {
      window: formatDuration(windowMs),
      byStatus,
      byChannel,
      deliveredPerMinute: Math.round((delivered.count / (windowMs / 60_000)) * 1000) / 1000,
      latencyP95Seconds: delivered.p95Seconds === null ? null : Math.round(delivered.p95Seconds * 1000) / 1000,
    };
  }
}
