import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../common/tokens.js';
import { CONFIG_HOLDER, type ConfigHolder } from '../config/config.holder.js';
import { Database } from '../db/database.service.js';
import { buildSummary, COALESCED_CHANNELS } from './coalesce-summary.js';
import { CoalesceRepository, type CrowdedTarget } from './coalesce.repository.js';

/**
 * When more than `delivery.coalesce_after` notifications wait for one Slack, SMS or email
 * target, folds them into one summary delivery: in one transaction, under row locks, the summary
 * is inserted and every folded row becomes `coalesced` pointing at it.
 */
@Injectable()
export class CoalesceService {
  constructor(
    private readonly db: Database,
    private readonly repo: CoalesceRepository,
    @Inject(CONFIG_HOLDER) private readonly config: ConfigHolder,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** One pass over crowded targets; returns how many rows were folded. */
  async run(): Promise<number> {
    const threshold = this.config.current().delivery.coalesce_after;
    if (!(threshold >= 1)) return 0;
    const crowded = await this.repo.crowdedTargets(this.db.reader, COALESCED_CHANNELS, threshold);
    let folded = 0;
    for (const target of crowded) folded += await this.fold(target, threshold);
    return folded;
  }

  private fold(target: CrowdedTarget, threshold: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const waiting = await this.repo.lockWaiting(tx, target);
      if (waiting.length <= threshold) return 0;
      const first = waiting[0].id;
      const last = waiting[waiting.length - 1].id;
      const groupKey = `{summary}:${target.receiver}:${target.targetKey}:${first}-${last}`;
      const payload = buildSummary(
        waiting.map((w) => w.payload),
        groupKey,
      );
      const fingerprints = [...new Set(waiting.flatMap((w) => w.fingerprints))];
      const dueAt = new Date(Math.min(...waiting.map((w) => w.dueAt.getTime())));
      const summaryId = await this.repo.insertSummary(tx, { target, groupKey, fingerprints, payload, dueAt });
      const n = await this.repo.markCoalesced(
        tx,
        waiting.map((w) => w.id),
        summaryId,
      );
      this.logger.info(
        { deliveryId: summaryId, channel: target.channel, receiver: target.receiver, folded: n, alerts: payload.alerts.length },
        'coalesced waiting notifications into one summary',
      );
      return n;
    });
  }
}
