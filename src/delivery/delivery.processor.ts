import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { performance } from 'node:perf_hooks';
import { INSTANCE_ID, ROOT_LOGGER } from '../common/tokens.js';
import { type SendContext, SendOutcome, type SendResult } from '../channels/channel-adapter.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { CONFIG_HOLDER, type ConfigHolder } from '../config/config.holder.js';
import type { TocsinConfig } from '../config/config.types.js';
import { Database } from '../db/database.service.js';
import { DELIVERY_TRANSPORT, type DeliveryTransport } from './delivery-transport.js';
import { DeliveryMetrics, DeliveryMetricOutcome } from './delivery.metrics.js';
import { type AttemptRecord, type ClaimedDelivery, DeliveryRepository } from './delivery.repository.js';
import { AttemptOutcome } from './delivery.types.js';
import { bucketsFor, RATE_LIMITER, type RateLimiter } from './rate-limit/rate-limiter.js';
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

/**
 * Sends one claimed delivery: finds its target in the running config, takes rate-limit tokens
 * (or waits for them), sends within `attempt_timeout`, and settles the outcome with its attempts
 * in one transaction.
 */
@Injectable()
export class DeliveryProcessor {
  constructor(
    private readonly db: Database,
    private readonly repo: DeliveryRepository,
    private readonly metrics: DeliveryMetrics,
    @Inject(DELIVERY_TRANSPORT) private readonly transport: DeliveryTransport,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(CONFIG_HOLDER) private readonly config: ConfigHolder,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INSTANCE_ID) private readonly worker: string,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(RETRY_RANDOM) private readonly random: RandomSource,
  ) {}

  /** `abort` fires on shutdown; the caller releases the row before firing it. */
  async process(row: ClaimedDelivery, abort: AbortSignal): Promise<ProcessResult> {
    const config = this.config.current();
    const log = this.logger.child({ deliveryId: row.id, channel: row.channel, receiver: row.receiver });
    const sender = this.transport.prepare(config, row);
    const startedAt = this.clock.now();
    if (!sender) {
      const error = `target ${row.targetKey} of receiver "${row.receiver}" is no longer in the configuration (removed by a reload)`;
      log.warn({ targetKey: row.targetKey }, 'delivery target gone; poisoned');
      return this.settle(row, config, { outcome: SendOutcome.Poison, provider: row.channel, error }, startedAt, 0, true);
    }

    const channelConfig = config.channels[row.channel];
    const buckets = bucketsFor(row.channel, row.recipient, channelConfig.rate_limit, channelConfig.global_rate_limit);
    if (buckets.length > 0) {
      try {
        const token = await this.limiter.take(buckets);
        if (!token.granted) {
          this.metrics.rateLimitEvents.inc({ channel: row.channel });
          const ok = await this.repo.postpone(this.db.reader, row.id, this.worker, token.waitMs);
          return ok ? ProcessResult.RateLimited : ProcessResult.LostLease;
        }
      } catch (err) {
        // Fail open: a broken limiter store must not hold pages back; the failure is logged.
        log.error({ err: { message: (err as Error).message } }, 'rate limiter unavailable; sending without a token');
      }
    }

    const previousState = await this.repo.targetState(this.db.reader, row.groupKey, row.receiver, row.targetKey);
    const timeoutMs = config.delivery.attempt_timeout_ms;
    const ctx: SendContext = {
      deliveryId: row.id,
      attempt: row.retryCount + 1,
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), abort]),
      timeoutMs,
      ...(previousState ? { previousState } : {}),
    };
    const began = performance.now();
    const result = await this.sendGuarded(() => sender.send(row.payload, ctx), timeoutMs);
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
      const ok = await this.db.transaction(async (tx) => {
        const settled = await this.repo.markDelivered(tx, row.id, this.worker);
        await this.repo.recordAttempts(tx, attempts);
        if (settled && result.state) await this.repo.saveTargetState(tx, row.groupKey, row.receiver, row.targetKey, result.state);
        return settled;
      });
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
    const ok = await this.db.transaction(async (tx) => {
      await this.repo.recordAttempts(tx, attempts);
      if (decision.verdict === RetryVerdict.Poison) {
        const message =
          decision.exhausted && !targetGone ? `${result.error} (gave up after ${decision.retryCount} attempts)` : result.error;
        return this.repo.markPoison(tx, row.id, this.worker, decision.retryCount, message);
      }
      return this.repo.scheduleRetry(tx, row.id, this.worker, decision.retryCount, decision.delayMs, result.error);
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
