import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { performance } from 'node:perf_hooks';
import { INSTANCE_ID, ROOT_LOGGER } from '../common/tokens.js';
import { type SendContext, SendOutcome, type SendResult } from '../channels/channel-adapter.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { CONFIG_HOLDER, type ConfigHolder } from '../config/config.holder.js';
import type { TocsinConfig } from '../config/config.types.js';
import { Database } from '../db/database.service.js';
import { DELIVERY_TRANSPORT, type DeliveryTransport, type PreparedSend } from './delivery-transport.js';
import { DeliveryMetrics, DeliveryMetricOutcome } from './delivery.metrics.js';
import { DELIVERY_OPTIONS, type DeliveryOptions } from './delivery.options.js';
import { type AttemptRecord, type ClaimedDelivery, DeliveryRepository, targetStateKey } from './delivery.repository.js';
import { DeliverySettler, SettleKind } from './delivery.settler.js';
import { AttemptOutcome } from './delivery.types.js';
import { type BucketSpec, bucketsFor, RATE_LIMITER, type RateLimiter } from './rate-limit/rate-limiter.js';
import { decideRetry, type RandomSource, RetryVerdict } from './retry-policy.js';

export const RETRY_RANDOM = Symbol('RetryRandom');

/** What became of one claimed delivery. */
export enum ProcessResult {
  Delivered = 'delivered',
  Retry = 'retry',
  Poison = 'poison',
  RateLimited = 'rate_limited',
  /** Our lease was gone when we settled (another worker has the row). */
  LostLease = 'lost_lease',
}

const SETTLE_MARGIN_MS = 1000;

/** One claimed delivery and the signal that fires when the worker gives it up (shutdown). */
export interface ProcessItem {
  row: ClaimedDelivery;
  abort: AbortSignal;
}

/** A row cleared to send: its sender and the target's saved state. */
interface Cleared {
  send: PreparedSend;
  previousState?: Record<string, unknown>;
}

/**
 * Sends claimed deliveries: finds each target in the running config, takes rate-limit tokens
 * for the whole claimed batch (one ask per set of buckets; rows without a token wait, never
 * dropped), reads the targets' saved states in one query, sends each within `attempt_timeout`
 * as soon as it is cleared, and settles every outcome with its attempts through the settler
 * (group commit: one transaction for the sends that finished together).
 */
@Injectable()
export class DeliveryProcessor {
  constructor(
    private readonly db: Database,
    private readonly repo: DeliveryRepository,
    private readonly settler: DeliverySettler,
    private readonly metrics: DeliveryMetrics,
    @Inject(DELIVERY_TRANSPORT) private readonly transport: DeliveryTransport,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(CONFIG_HOLDER) private readonly config: ConfigHolder,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INSTANCE_ID) private readonly worker: string,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(RETRY_RANDOM) private readonly random: RandomSource,
    @Inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
  ) {}

  /** `abort` fires on shutdown; the caller releases the row before firing it. */
  process(row: ClaimedDelivery, abort: AbortSignal): Promise<ProcessResult> {
    return this.processMany([{ row, abort }])[0];
  }

  /** One promise per item, in order; each settles on its own as its send finishes. */
  processMany(items: readonly ProcessItem[]): Promise<ProcessResult>[] {
    const config = this.config.current();
    const startedAt = this.clock.now();
    const cleared = this.clear(config, items, startedAt);
    return items.map((item) =>
      cleared.then((c) => {
        const verdict = c.get(item.row.id);
        if (verdict === undefined) throw new Error(`delivery ${item.row.id} was not prepared`);
        if (verdict instanceof Promise) return verdict;
        return this.sendOne(config, item, verdict, startedAt);
      }),
    );
  }

  /**
   * Decides for every item before sending: target gone → poison; no token → postponed (one
   * UPDATE per bucket set); the rest cleared, with their targets' saved states. The states are
   * read before the tokens are taken and the postponing UPDATE does not hold the granted sends
   * back, so a send leaves right after its token (a provider counting arrivals sees the limit).
   */
  private async clear(config: TocsinConfig, items: readonly ProcessItem[], startedAt: Date): Promise<Map<string, Cleared | Promise<ProcessResult>>> {
    const out = new Map<string, Cleared | Promise<ProcessResult>>();
    const byBuckets = new Map<string, { buckets: BucketSpec[]; items: { item: ProcessItem; send: PreparedSend }[] }>();
    for (const item of items) {
      const { row } = item;
      const sender = this.transport.prepare(config, row);
      if (!sender) {
        const error = `target ${row.targetKey} of receiver "${row.receiver}" is no longer in the configuration (removed by a reload)`;
        this.logger.warn({ deliveryId: row.id, channel: row.channel, receiver: row.receiver, targetKey: row.targetKey }, 'delivery target gone; poisoned');
        const settled = this.settle(row, config, { outcome: SendOutcome.Poison, provider: row.channel, error }, startedAt, 0, true);
        // Awaited by this item's caller once the batch is cleared; not an unhandled rejection meanwhile.
        settled.catch(() => undefined);
        out.set(row.id, settled);
        continue;
      }
      const channelConfig = config.channels[row.channel];
      const buckets = bucketsFor(
        row.channel,
        row.recipient,
        channelConfig.rate_limit,
        channelConfig.global_rate_limit,
        this.options.rateLimitMarginMs,
      );
      const key = buckets.map((b) => b.key).join('\u0000');
      const entry = byBuckets.get(key) ?? { buckets, items: [] };
      entry.items.push({ item, send: sender });
      byBuckets.set(key, entry);
    }

    const states = await this.repo.targetStates(
      this.db.reader,
      [...byBuckets.values()].flatMap((b) => b.items.map((g) => g.item.row)),
    );
    const going: { item: ProcessItem; send: PreparedSend }[] = [];
    for (const { buckets, items: group } of byBuckets.values()) {
      if (buckets.length === 0) {
        going.push(...group);
        continue;
      }
      let granted = group.length;
      let waitMs = 0;
      try {
        ({ granted, waitMs } = await this.limiter.takeUpTo(buckets, group.length));
      } catch (err) {
        // Fail open: a broken limiter store must not hold pages back; the failure is logged.
        this.logger.error({ err: { message: (err as Error).message }, channel: group[0].item.row.channel }, 'rate limiter unavailable; sending without a token');
      }
      going.push(...group.slice(0, granted));
      const waiting = group.slice(granted);
      if (waiting.length === 0) continue;
      this.metrics.rateLimitEvents.inc({ channel: waiting[0].item.row.channel }, waiting.length);
      const postponed = this.repo.postponeMany(
        this.db.reader,
        waiting.map((w) => w.item.row.id),
        this.worker,
        waitMs,
      );
      // Awaited by each waiting item's caller; not an unhandled rejection meanwhile.
      postponed.catch(() => undefined);
      for (const w of waiting) out.set(w.item.row.id, postponed.then((ours) => (ours.has(w.item.row.id) ? ProcessResult.RateLimited : ProcessResult.LostLease)));
    }

    for (const g of going) {
      const previousState = states.get(targetStateKey(g.item.row));
      out.set(g.item.row.id, { send: g.send, ...(previousState ? { previousState } : {}) });
    }
    return out;
  }

  private async sendOne(config: TocsinConfig, item: ProcessItem, cleared: Cleared, startedAt: Date): Promise<ProcessResult> {
    const { row, abort } = item;
    const timeoutMs = config.delivery.attempt_timeout_ms;
    const ctx: SendContext = {
      deliveryId: row.id,
      attempt: row.retryCount + 1,
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), abort]),
      timeoutMs,
      ...(cleared.previousState ? { previousState: cleared.previousState } : {}),
    };
    const began = performance.now();
    const result = await this.sendGuarded(() => cleared.send.send(row.payload, ctx), timeoutMs);
    const durationMs = performance.now() - began;
    if (abort.aborted) return ProcessResult.LostLease;
    return this.settle(row, config, result, startedAt, durationMs, false);
  }

  /** Adapters must not throw nor outlive the timeout; if one does, it counts as a retryable failure. */
  private async sendGuarded(send: () => Promise<SendResult>, timeoutMs: number): Promise<SendResult> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<SendResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ outcome: SendOutcome.Retry, provider: 'tocsin', error: `no answer within the attempt timeout (${timeoutMs} ms)` }),
        timeoutMs + SETTLE_MARGIN_MS,
      );
    });
    try {
      return await Promise.race([
        send().catch(
          (err: unknown): SendResult => ({
            outcome: SendOutcome.Retry,
            provider: 'tocsin',
            error: `adapter error: ${err instanceof Error ? err.message : String(err)}`,
          }),
        ),
        late,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async settle(
    row: ClaimedDelivery,
    config: TocsinConfig,
    result: SendResult,
    startedAt: Date,
    durationMs: number,
    targetGone: boolean,
  ): Promise<ProcessResult> {
    const attempts: AttemptRecord[] = (result.previous ?? []).map((p) => this.attemptOf(row.id, p, startedAt, 0));
    const channel = row.channel;
    if (result.outcome === SendOutcome.Delivered) {
      attempts.push(this.attemptOf(row.id, result, startedAt, durationMs));
      const ok = await this.settler.settle({ kind: SettleKind.Delivered, row, attempts, ...(result.state ? { state: result.state } : {}) });
      this.metrics.deliveries.inc({ channel, outcome: DeliveryMetricOutcome.Delivered });
      this.metrics.latency.observe({ channel }, Math.max(0, (this.clock.now().getTime() - row.dueAt.getTime()) / 1000));
      return ok ? ProcessResult.Delivered : ProcessResult.LostLease;
    }

    const decision = decideRetry(
      {
        outcome: result.outcome,
        previousFailures: row.retryCount,
        ...(result.outcome === SendOutcome.Retry && result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
      },
      {
        maxAttempts: config.delivery.max_attempts,
        initialBackoffMs: config.delivery.initial_backoff_ms,
        maxBackoffMs: config.delivery.max_backoff_ms,
      },
      this.random,
    );
    const poison = decision.verdict === RetryVerdict.Poison;
    const attemptOutcome = poison ? AttemptOutcome.Poison : AttemptOutcome.Retry;
    attempts.push(this.attemptOf(row.id, result, startedAt, durationMs, attemptOutcome));
    const ok = poison
      ? await this.settler.settle({
          kind: SettleKind.Poison,
          row,
          attempts,
          poison: {
            id: row.id,
            retryCount: decision.retryCount,
            error: decision.exhausted && !targetGone ? `${result.error} (gave up after ${decision.retryCount} attempts)` : result.error,
          },
        })
      : await this.settler.settle({
          kind: SettleKind.Retry,
          row,
          attempts,
          retry: { id: row.id, retryCount: decision.retryCount, delayMs: decision.delayMs, error: result.error },
        });
    this.metrics.deliveries.inc({ channel, outcome: poison ? DeliveryMetricOutcome.Poison : DeliveryMetricOutcome.Retry });
    this.logger[poison ? 'warn' : 'info'](
      { deliveryId: row.id, channel, provider: result.provider, providerStatus: result.providerStatus, retryCount: decision.retryCount },
      poison ? `delivery poisoned: ${result.error}` : `delivery attempt failed; retrying: ${result.error}`,
    );
    if (!ok) return ProcessResult.LostLease;
    return poison ? ProcessResult.Poison : ProcessResult.Retry;
  }

  private attemptOf(
    deliveryId: string,
    r: SendResult,
    startedAt: Date,
    durationMs: number,
    outcome: AttemptOutcome = r.outcome === SendOutcome.Delivered
      ? AttemptOutcome.Delivered
      : r.outcome === SendOutcome.Poison
        ? AttemptOutcome.Poison
        : AttemptOutcome.Retry,
  ): AttemptRecord {
    return {
      deliveryId,
      startedAt,
      durationMs,
      outcome,
      provider: r.provider,
      providerStatus: r.providerStatus ?? null,
      providerCode: r.providerCode ?? null,
      error: r.outcome === SendOutcome.Delivered ? null : r.error,
      worker: this.worker,
    };
  }
}
