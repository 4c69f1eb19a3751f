import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { CLOCK, type Clock } from '../common/clock.js';
import { ROOT_LOGGER } from '../common/tokens.js';
import { CONFIG_HOLDER, type ConfigHolder } from '../config/config.holder.js';
import { Database } from '../db/database.service.js';
import { RetentionRepository } from './retention.repository.js';

/** Rows deleted per transaction: short transactions, short row locks. */
export const RETENTION_BATCH = 1000;
/** How often a replica tries to run retention (only the lock holder works). */
export const RETENTION_INTERVAL_MS = 15 * 60_000;
/** The first run waits this long after start, out of the way of boot. */
export const RETENTION_FIRST_RUN_MS = 60_000;

export interface RetentionResult {
  delivered: number;
  discarded: number;
}

/**
 * Prunes delivered deliveries (and their attempts) older than `retention.delivered`, and
 * discarded ones older than `retention.discarded`, on one replica at a time. Poison deliveries
 * and the audit log are never pruned.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Database,
    private readonly repo: RetentionRepository,
    @Inject(CONFIG_HOLDER) private readonly config: ConfigHolder,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const tick = (): void => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((err: unknown) => this.logger.error({ err }, 'retention run failed; it is tried again at the next interval'))
        .finally(() => {
          this.running = null;
        });
    };
    const first = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, RETENTION_INTERVAL_MS);
      this.timer.unref();
    }, RETENTION_FIRST_RUN_MS);
    first.unref();
    this.timer = first;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One run: null when another replica holds the retention lock. */
  async runOnce(): Promise<RetentionResult | null> {
    const outcome = await this.repo.withRunLock(async () => {
      const retention = this.config.current().retention;
      const now = this.clock.now().getTime();
      const delivered = await this.prune('delivered', new Date(now - retention.delivered_ms));
      const discarded = await this.prune('discarded', new Date(now - retention.discarded_ms));
      return { delivered, discarded };
    });
    if (outcome === null) return null;
    if (outcome.value.delivered + outcome.value.discarded > 0) this.logger.info(outcome.value, 'retention pruned old deliveries');
    return outcome.value;
  }

  private async prune(status: 'delivered' | 'discarded', cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.db.transaction((tx) => this.repo.pruneBatch(tx, status, cutoff, RETENTION_BATCH));
      total += n;
      if (n === 0) return total;
    }
  }
}
