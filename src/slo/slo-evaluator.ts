import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { CLOCK, type Clock } from '../common/clock.js';
import { INSTANCE_ID, ROOT_LOGGER } from '../common/tokens.js';
import { CONFIG_HOLDER, type ConfigHolder } from '../config/config.holder.js';
import { Database } from '../db/database.service.js';
import { HeartbeatService } from './heartbeat.service.js';
import { SLO_LEADER, type LeaderLock } from './leader.js';
import { SelfAlertPublisher } from './self-alert.publisher.js';
import { SloFallbackService } from './slo-fallback.service.js';
import { cbStalenessValue, desiredSelfAlerts, evaluateSlo, sloDefinitions, windowStart } from './slo-math.js';
import { SloRepository } from './slo.repository.js';
import { SLO_SETTINGS, type SloSettings } from './slo.settings.js';
import { CIRCUIT_BREAKER_HEARTBEAT, SloName, type SloRecord } from './slo.types.js';

/** The fallback sweep runs at least this often on the leader. */
const FALLBACK_EVERY_MS = 1000;

/**
 * Every `slo.interval`, on the one replica holding the SLO advisory lock: computes the four
 * SLOs over `slo.window` from what all replicas recorded, stores their state, raises or
 * resolves self-alerts on transitions, and copies failed self-alert deliveries to the fallback
 * receiver. Every replica asks for the lock on each tick, so when the leader dies another one
 * takes over at its next tick (within one interval).
 */
@Injectable()
export class SloEvaluator implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastEvaluation = Number.NEGATIVE_INFINITY;
  private lastFallback = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Database,
    private readonly repo: SloRepository,
    private readonly heartbeats: HeartbeatService,
    private readonly publisher: SelfAlertPublisher,
    private readonly fallback: SloFallbackService,
    @Inject(SLO_LEADER) private readonly leader: LeaderLock,
    @Inject(CONFIG_HOLDER) private readonly config: ConfigHolder,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(SLO_SETTINGS) private readonly settings: SloSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.evaluate) this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.leader.close();
  }

  private tickMs(): number {
    return Math.max(50, Math.min(this.config.current().slo.interval_ms, FALLBACK_EVERY_MS));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule(this.tickMs());
      });
    }, ms);
    this.timer.unref();
  }

  /** One loop turn: lead or not; when leading, evaluate once per interval and sweep for fallbacks. */
  private async tick(): Promise<void> {
    try {
      if (!(await this.leader.acquire())) {
        this.lastEvaluation = Number.NEGATIVE_INFINITY;
        return;
      }
      const started = performance.now();
      if (started - this.lastEvaluation >= this.config.current().slo.interval_ms - 5) {
        this.lastEvaluation = started;
        await this.evaluate(this.clock.now());
      }
      if (performance.now() - this.lastFallback >= FALLBACK_EVERY_MS - 5) {
        this.lastFallback = performance.now();
        await this.fallback.sweep(this.clock.now());
      }
    } catch (err) {
      this.logger.error({ err }, 'SLO evaluation failed; trying again at the next tick');
    }
  }

  /** One evaluation at `now` (the leader's job; tests may call it directly). */
  async evaluate(now: Date): Promise<SloRecord[]> {
    const config = this.config.current();
    const defs = sloDefinitions(config.heartbeats);
    const from = windowStart(now, config.slo.window_ms);
    const snapshots = await this.heartbeats.snapshots(now);
    const cb = snapshots.find((s) => s.config.name === CIRCUIT_BREAKER_HEARTBEAT) ?? null;
    const reader = this.db.reader;
    const values: Record<SloName, number | null> = {
      [SloName.CbStaleness]: cbStalenessValue(cb?.status ?? null),
      [SloName.AlertDeliveryP95]: await this.repo.deliveryLatencyP95(reader, from),
      [SloName.AuditWriteP95]: await this.repo.auditWriteP95(reader, from),
      [SloName.PoisonQueueSize]: await this.repo.poisonCount(reader),
    };
    const previous = new Map((await this.repo.states(reader)).map((r) => [r.name, r]));
    const records = defs.map((def) => evaluateSlo(def, values[def.name], previous.get(def.name) ?? null, now));
    const fence = this.leader.fence();
    const stillLeader = await this.db.transaction(async (tx) => {
      if (!fence || !(await this.repo.holdsLock(tx, fence.pid, fence.key))) return false;
      await this.repo.saveStates(tx, records);
      await this.repo.logEvaluation(tx, this.instanceId, now, new Date(now.getTime() - this.settings.evaluationLogKeepMs));
      return true;
    });
    if (!stillLeader) {
      this.logger.warn('lost the SLO leader lock during an evaluation; its result is dropped');
      return [];
    }
    for (const r of records) {
      const before = previous.get(r.name);
      if (before && before.state !== r.state) this.logger.info({ slo: r.name, from: before.state, to: r.state, value: r.value }, `SLO ${r.name} is now ${r.state}`);
    }
    await this.publisher.reconcile(
      desiredSelfAlerts(
        defs,
        records,
        snapshots.map((s) => ({ name: s.config.name, severity: s.config.severity, maxStalenessSeconds: s.config.max_staleness_ms / 1000, status: s.status })),
      ),
      now,
    );
    return records;
  }
}
