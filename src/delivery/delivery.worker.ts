import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { INSTANCE_ID, ROOT_LOGGER } from '../common/tokens.js';
import { CONFIG_HOLDER, type ConfigHolder } from '../config/config.holder.js';
import { Database } from '../db/database.service.js';
import { CoalesceService } from './coalesce.service.js';
import { DELIVERY_TRANSPORT, type DeliveryTransport } from './delivery-transport.js';
import { DELIVERY_OPTIONS, type DeliveryOptions } from './delivery.options.js';
import { DeliveryListener } from './delivery.listener.js';
import { DeliveryMetrics, DeliveryMetricOutcome } from './delivery.metrics.js';
import { DeliveryProcessor } from './delivery.processor.js';
import { type ClaimedDelivery, DeliveryRepository } from './delivery.repository.js';
import { AttemptOutcome } from './delivery.types.js';

/** At shutdown, how long sends that already returned get to settle before the rest is released. */
const SETTLE_WAIT_MS = 5000;

/** A claimed delivery waiting in this process for a free slot. */
interface Queued {
  row: ClaimedDelivery;
  /** performance.now() when the claim that leased it was sent (its lease ends no sooner than this + lease). */
  claimedAt: number;
}

interface InFlight {
  row: ClaimedDelivery;
  abort: AbortController;
  done: Promise<void>;
  startedAt: Date;
}

/**
 * The claim loop of one process: woken at once by NOTIFY (new or re-pended deliveries, a resume)
 * and by a slow poll, it claims as many due deliveries as it has free slots (bounded concurrency)
 * plus a few ahead (`prefetch`), and hands them to the processor. Rows claimed ahead wait in a
 * local queue: a slot that frees starts the next one at once (sends that finish in the same turn
 * start theirs as one batch) instead of waiting for a claim round trip. A queued row is sent only
 * while its lease still covers the send and its settle (it waits at most half the lease's margin);
 * older ones are released (sending → pending, never attempted, so no attempt row) and claiming
 * ahead stops until a send finishes, so a stuck provider does not make the loop claim and release
 * over and over. Between claims it folds crowded chat/SMS/email targets.
 * On shutdown it stops claiming, lets in-flight sends finish within attempt_timeout, aborts
 * the sends still running, lets the finished ones settle, and releases whatever is left
 * (sending → pending, attempt outcome `released`); queued rows never started are released first.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running = false;
  private loopDone: Promise<void> | null = null;
  private readonly inFlight = new Map<string, InFlight>();
  private queue: Queued[] = [];
  private pumpScheduled = false;
  /** False after queued rows grew stale (slots stuck); true again once a send finishes. */
  private prefetchOk = true;
  private wakeRequested = false;
  private wakeUp: (() => void) | null = null;
  private listener: DeliveryListener | null = null;
  private lastCoalesce = 0;
  private idleWaiters: Array<() => void> = [];
  private lastClaimEmpty = false;

  constructor(
    private readonly db: Database,
    private readonly repo: DeliveryRepository,
    private readonly processor: DeliveryProcessor,
    private readonly coalescer: CoalesceService,
    private readonly metrics: DeliveryMetrics,
    @Inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    @Inject(DELIVERY_TRANSPORT) private readonly transport: DeliveryTransport,
    @Inject(CONFIG_HOLDER) private readonly config: ConfigHolder,
    @Inject(INSTANCE_ID) private readonly worker: string,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.enabled && this.transport.ready) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const url = (this.db.source.options as { url?: string }).url;
    if (url) {
      this.listener = new DeliveryListener(url, () => this.wake(), this.logger);
      this.listener.start();
    }
    this.loopDone = this.loop();
    this.logger.info({ worker: this.worker, concurrency: this.options.concurrency }, 'delivery worker started');
  }

  /** Claims at once instead of waiting for the next poll. */
  wake(): void {
    this.wakeRequested = true;
    const wake = this.wakeUp;
    this.wakeUp = null;
    wake?.();
  }

  /** Resolves when nothing is in flight and the last claim found nothing due (tests). */
  async whenIdle(timeoutMs = 10_000): Promise<void> {
    if (!this.running) throw new Error('the delivery worker is not running (TOCSIN_WORKERS=0, or no channel adapters)');
    const deadline = Date.now() + timeoutMs;
    while (!(this.inFlight.size === 0 && this.queue.length === 0 && this.lastClaimEmpty && !this.wakeRequested)) {
      if (Date.now() > deadline) throw new Error(`delivery worker not idle after ${timeoutMs} ms (${this.inFlight.size} in flight, ${this.queue.length} queued)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.listener?.stop();
    this.listener = null;
    await this.loopDone;
    await this.releaseQueued(this.queue.splice(0), 'shutdown');
    await this.drain();
    this.logger.info({ worker: this.worker }, 'delivery worker stopped');
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.wakeRequested = false;
      let claimedAll = false;
      try {
        await this.maybeCoalesce();
        await this.releaseStale();
        const free = this.options.concurrency - this.inFlight.size;
        const room = free + (this.prefetchOk ? this.options.prefetch : 0) - this.queue.length;
        if (room > 0) {
          const leaseMs = this.leaseMs();
          const claimedAt = performance.now();
          const rows = await this.db.transaction((tx) => this.repo.claimDue(tx, this.worker, room, leaseMs));
          this.lastClaimEmpty = rows.length === 0;
          this.enqueue(rows, claimedAt);
          this.pump();
          claimedAll = rows.length === room;
        }
      } catch (err) {
        this.logger.error({ err: { message: (err as Error).message } }, 'delivery claim failed; retrying at the next poll');
      }
      this.notifyIdle();
      if (!this.running) break;
      if (claimedAll || this.wakeRequested) continue;
      await this.sleep(await this.nextPollMs());
    }
  }

  /** Adds a claimed batch to the local queue. */
  private enqueue(claimed: readonly ClaimedDelivery[], claimedAt: number): void {
    // A row still in flight here came back because its lease ran out while this process worked
    // on it (slow limiter or settle): the claim renewed the lease under the same worker id, so
    // the send in flight still settles it. A second send beside it would page twice.
    const again = claimed.filter((row) => this.inFlight.has(row.id));
    if (again.length > 0) this.logger.warn({ deliveryIds: again.map((r) => r.id) }, 'claimed again while still in flight here (lease ran out); not sent twice');
    const queued = new Map(this.queue.map((q) => [q.row.id, q]));
    for (const row of claimed) {
      if (this.inFlight.has(row.id)) continue;
      const waiting = queued.get(row.id);
      // Still queued here when claimed again: the claim renewed its lease; keep one entry.
      if (waiting) waiting.claimedAt = claimedAt;
      else this.queue.push({ row, claimedAt });
    }
  }

  /** Starts queued rows in the free slots, as one batch; rows whose lease no longer covers a send are left for `releaseStale`. */
  private pump(): void {
    if (!this.running) return;
    const free = this.options.concurrency - this.inFlight.size;
    if (free <= 0 || this.queue.length === 0) return;
    const freshAfter = performance.now() - this.maxQueueMs();
    const take: ClaimedDelivery[] = [];
    const keep: Queued[] = [];
    for (const q of this.queue) {
      if (take.length < free && q.claimedAt >= freshAfter) take.push(q.row);
      else keep.push(q);
    }
    this.queue = keep;
    this.dispatch(take);
  }

  /** Pumps once the sends finishing in this turn of the event loop have all freed their slots. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Releases queued rows that waited too long for a slot, and stops claiming ahead until a send finishes. */
  private async releaseStale(): Promise<void> {
    if (this.queue.length === 0) return;
    const freshAfter = performance.now() - this.maxQueueMs();
    const stale = this.queue.filter((q) => q.claimedAt < freshAfter);
    if (stale.length === 0) return;
    const ids = new Set(stale.map((q) => q.row.id));
    this.queue = this.queue.filter((q) => !ids.has(q.row.id));
    this.prefetchOk = false;
    await this.releaseQueued(stale, 'waited too long for a free slot');
  }

  /** Puts claimed rows that were never started back to `pending` (guarded by our claim); no attempt happened. */
  private async releaseQueued(rows: readonly Queued[], why: string): Promise<void> {
    if (rows.length === 0) return;
    try {
      const released = await this.db.transaction((tx) =>
        this.repo.release(
          tx,
          rows.map((q) => q.row.id),
          this.worker,
        ),
      );
      this.logger.info({ released: released.length }, `claimed deliveries released before their send (${why})`);
    } catch (err) {
      this.logger.error({ err: { message: (err as Error).message } }, 'could not release queued deliveries; their leases will expire');
    }
  }

  /** Hands a batch to the processor (rate limits and target states asked once for it). */
  private dispatch(rows: readonly ClaimedDelivery[]): void {
    if (rows.length === 0) return;
    const entries = rows.map((row): InFlight => ({ row, abort: new AbortController(), startedAt: new Date(), done: Promise.resolve() }));
    const results = this.processor.processMany(entries.map((e) => ({ row: e.row, abort: e.abort.signal })));
    entries.forEach((entry, i) => {
      const { row } = entry;
      entry.done = results[i]
        .then(
          () => undefined,
          (err: unknown) => {
            // The row stays claimed; its lease runs out and a worker claims it again.
            this.logger.error({ deliveryId: row.id, err: { message: (err as Error).message } }, 'delivery processing failed');
          },
        )
        .finally(() => {
          this.inFlight.delete(row.id);
          this.prefetchOk = true;
          this.schedulePump();
          this.wake();
        });
      this.inFlight.set(row.id, entry);
    });
  }

  private async maybeCoalesce(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCoalesce < this.options.coalesceEveryMs) return;
    this.lastCoalesce = now;
    await this.coalescer.run();
  }

  private async nextPollMs(): Promise<number> {
    if (this.inFlight.size >= this.options.concurrency) return this.options.pollMs;
    try {
      const ms = await this.repo.msUntilNextDue(this.db.reader);
      if (ms === null) return this.options.pollMs;
      return Math.max(5, Math.min(this.options.pollMs, Math.ceil(ms)));
    } catch {
      return this.options.pollMs;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private notifyIdle(): void {
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Lease = attempt timeout + max(5 s, attempt timeout): a live worker always settles first. */
  private leaseMs(): number {
    const timeout = this.config.current().delivery.attempt_timeout_ms;
    return timeout + Math.max(5000, timeout);
  }

  /**
   * How long a claimed row may wait here for a slot: half the lease's margin over the attempt
   * timeout, so the other half still covers the rate-limit ask, the send's own margin and the settle.
   */
  private maxQueueMs(): number {
    const timeout = this.config.current().delivery.attempt_timeout_ms;
    return Math.max(5000, timeout) / 2;
  }

  /** Lets in-flight sends finish within attempt_timeout, aborts the rest, lets finished sends settle, releases what is left. */
  private async drain(): Promise<void> {
    if (this.inFlight.size === 0) return;
    const graceMs = this.config.current().delivery.attempt_timeout_ms + 500;
    const all = Promise.all([...this.inFlight.values()].map((f) => f.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    const left = [...this.inFlight.values()];
    if (left.length === 0) return;
    // Cut the sends still running off first, then let the sends that already returned settle
    // with their real outcome: releasing one of those would send it a second time. Only rows
    // still ours and `sending` after that are released (the UPDATE is guarded).
    for (const f of left) f.abort.abort();
    await Promise.race([Promise.all(left.map((f) => f.done)), new Promise<void>((resolve) => (timer = setTimeout(resolve, SETTLE_WAIT_MS)))]);
    clearTimeout(timer);
    try {
      await this.db.transaction(async (tx) => {
        const released = await this.repo.release(
          tx,
          left.map((f) => f.row.id),
          this.worker,
        );
        const byId = new Map(left.map((f) => [f.row.id, f]));
        await this.repo.recordAttempts(
          tx,
          released.map((id) => ({
            deliveryId: id,
            startedAt: byId.get(id)?.startedAt ?? new Date(),
            durationMs: Date.now() - (byId.get(id)?.startedAt.getTime() ?? Date.now()),
            outcome: AttemptOutcome.Released,
            provider: byId.get(id)?.row.channel ?? 'tocsin',
            error: 'released at shutdown before its send finished',
            worker: this.worker,
          })),
        );
        for (const id of released) this.metrics.deliveries.inc({ channel: byId.get(id)?.row.channel ?? 'unknown', outcome: DeliveryMetricOutcome.Released });
      });
    } catch (err) {
      this.logger.error({ err: { message: (err as Error).message } }, 'could not release in-flight deliveries; their leases will expire');
    }
  }
}
