import { Inject, Injectable } from '@nestjs/common';
import { INSTANCE_ID } from '../common/tokens.js';
import { Database } from '../db/database.service.js';
import type { AttemptRecord, ClaimedDelivery, PoisonSettle, RetrySettle } from './delivery.repository.js';
import { DeliveryRepository } from './delivery.repository.js';

export enum SettleKind {
  Delivered = 'delivered',
  Retry = 'retry',
  Poison = 'poison',
}

/** What one finished send writes: its attempts and the row's new state. */
export type Settlement =
  | { kind: SettleKind.Delivered; row: ClaimedDelivery; attempts: AttemptRecord[]; state?: Record<string, unknown> }
  | { kind: SettleKind.Retry; row: ClaimedDelivery; attempts: AttemptRecord[]; retry: RetrySettle }
  | { kind: SettleKind.Poison; row: ClaimedDelivery; attempts: AttemptRecord[]; poison: PoisonSettle };

interface Queued {
  settlement: Settlement;
  resolve(settled: boolean): void;
  reject(err: unknown): void;
  /** Failed writes of this settle alone so far. */
  tries: number;
}

/**
 * Waits before writing a settle again after it failed alone (a database blip): well within the
 * lease margin, so a finished send is settled rather than left `sending` until its lease ends
 * and sent again. After the last one the caller gets the error (the lease then covers it).
 */
const RETRY_DELAYS_MS = [100, 500, 1500];

/**
 * Group commit for settles: sends that finish while a settle transaction runs wait for the
 * next one, which writes all of them with one UPDATE per outcome kind and one multi-row
 * attempts INSERT. Each caller learns whether its lease still held (false: another worker has
 * the row, nothing was changed) once that transaction committed. If a batch fails, each of its
 * settles is retried alone, so one bad row cannot fail the others; a settle that fails alone
 * is written again a few times after short pauses (a database blip), since a finished send left
 * unsettled is sent a second time when its lease ends.
 */
@Injectable()
export class DeliverySettler {
  private queue: Queued[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly repo: DeliveryRepository,
    @Inject(INSTANCE_ID) private readonly worker: string,
  ) {}

  settle(settlement: Settlement): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ settlement, resolve, reject, tries: 0 });
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    // Let the sends finishing in this turn of the event loop join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          const settled = await this.write(batch.map((q) => q.settlement));
          for (const q of batch) q.resolve(settled.has(q.settlement.row.id));
        } catch (err) {
          if (batch.length === 1) {
            this.retryLater(batch[0], err);
            continue;
          }
          for (const q of batch) {
            try {
              const settled = await this.write([q.settlement]);
              q.resolve(settled.has(q.settlement.row.id));
            } catch (e) {
              this.retryLater(q, e);
            }
          }
        }
      }
    } finally {
      this.flushing = null;
      if (this.queue.length > 0) this.flushing = this.flushLoop();
    }
  }

  /** Queues a settle that failed alone again after a pause (others keep settling meanwhile), or gives up. */
  private retryLater(q: Queued, err: unknown): void {
    const delay = RETRY_DELAYS_MS[q.tries];
    if (delay === undefined) {
      q.reject(err);
      return;
    }
    q.tries++;
    setTimeout(() => {
      this.queue.push(q);
      this.flushing ??= this.flushLoop();
    }, delay);
  }

  private write(settlements: readonly Settlement[]): Promise<Set<string>> {
    return this.db.transaction(async (tx) => {
      const settled = await this.repo.settleMany(tx, this.worker, {
        delivered: settlements.filter((s) => s.kind === SettleKind.Delivered).map((s) => s.row.id),
        retries: settlements.flatMap((s) => (s.kind === SettleKind.Retry ? [s.retry] : [])),
        poisons: settlements.flatMap((s) => (s.kind === SettleKind.Poison ? [s.poison] : [])),
      });
      await this.repo.recordAttempts(
        tx,
        settlements.flatMap((s) => s.attempts),
      );
      for (const s of settlements) {
        if (s.kind === SettleKind.Delivered && s.state && settled.has(s.row.id)) {
          await this.repo.saveTargetState(tx, s.row.groupKey, s.row.receiver, s.row.targetKey, s.state);
        }
      }
      return settled;
    });
  }
}
