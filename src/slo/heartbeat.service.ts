import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { notFound } from '../common/app-error.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { ROOT_LOGGER } from '../common/tokens.js';
import { CONFIG_HOLDER, type ConfigHolder } from '../config/config.holder.js';
import { type HeartbeatConfig, HeartbeatSource } from '../config/config.types.js';
import { Database } from '../db/database.service.js';
import { CircuitBreakerRedisReader } from './circuit-breaker.redis.js';
import { HeartbeatRepository } from './heartbeat.repository.js';
import { applyBeat, heartbeatStatus, type HeartbeatStatus } from './slo-math.js';
import { SLO_SETTINGS, type SloSettings } from './slo.settings.js';
import type { HeartbeatChange, HeartbeatRecord, HeartbeatView } from './slo.types.js';

/** A configured heartbeat with its stored record and its status at one instant. */
export interface HeartbeatSnapshot {
  config: HeartbeatConfig;
  record: HeartbeatRecord;
  status: HeartbeatStatus;
  history?: HeartbeatChange[];
}

/**
 * Heartbeats named in `config.heartbeats`: beats arrive by `PUT /api/v1/heartbeats/{name}` or,
 * for `source: redis`, from the circuit breaker's Redis keys, which are read on every look.
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly startedAt: Date;
  private redis: CircuitBreakerRedisReader | null = null;

  constructor(
    private readonly db: Database,
    private readonly repo: HeartbeatRepository,
    @Inject(CONFIG_HOLDER) private readonly config: ConfigHolder,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(SLO_SETTINGS) private readonly settings: SloSettings,
  ) {
    this.startedAt = clock.now();
  }

  async onApplicationBootstrap(): Promise<void> {
    // A heartbeat that never beat gets its no_data grace from this start.
    await this.repo.ensure(this.db.reader, this.names(), this.clock.now(), true);
    this.config.onChange(() => {
      void this.repo.ensure(this.db.reader, this.names(), this.clock.now(), false).catch((err: unknown) => {
        this.logger.error({ err }, 'could not register the heartbeats of the new configuration');
      });
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.close();
  }

  private names(): string[] {
    return this.config.current().heartbeats.map((h) => h.name);
  }

  private reader(): CircuitBreakerRedisReader | null {
    if (!this.settings.redisUrl) return null;
    this.redis ??= new CircuitBreakerRedisReader(this.settings.redisUrl);
    return this.redis;
  }

  /** Records a beat at `at` (default now) with free-text `state`; 404 for a name not in the config. */
  async beat(name: string, at: Date | null, state: string | null): Promise<HeartbeatView> {
    const config = this.config.current().heartbeats.find((h) => h.name === name);
    if (!config) throw notFound(`heartbeat "${name}"`);
    const now = this.clock.now();
    const record = await this.record(config, at ?? now, state, HeartbeatSource.Api, now);
    return this.view({ config, record, status: heartbeatStatus(config.max_staleness_ms, record, now) });
  }

  private record(config: HeartbeatConfig, at: Date, state: string | null, source: HeartbeatSource, now: Date): Promise<HeartbeatRecord> {
    return this.db.transaction(async (tx) => {
      await this.repo.ensure(tx, [config.name], now, false);
      const previous = await this.repo.lock(tx, config.name);
      const update = applyBeat(previous, at, state, config.max_staleness_ms, now);
      if (!update.newer && previous) return previous;
      return this.repo.saveBeat(tx, config.name, { ...update, source }, now);
    });
  }

  /** Every configured heartbeat at `now`, Redis-fed ones refreshed from Redis first. */
  async snapshots(now: Date = this.clock.now()): Promise<HeartbeatSnapshot[]> {
    const configs = this.config.current().heartbeats;
    const histories = new Map<string, HeartbeatChange[]>();
    for (const hb of configs.filter((h) => h.source === HeartbeatSource.Redis)) {
      const reader = this.reader();
      if (!reader) continue;
      try {
        const reading = await reader.read();
        if (reading.updatedAt) await this.record(hb, reading.updatedAt, reading.state, HeartbeatSource.Redis, now);
        histories.set(hb.name, await reader.history());
      } catch (err) {
        this.logger.warn({ err: { message: (err as Error).message }, heartbeat: hb.name }, 'cannot read the circuit breaker from Redis');
      }
    }
    const stored = new Map((await this.repo.list(this.db.reader, configs.map((h) => h.name))).map((r) => [r.name, r]));
    return configs.map((config) => {
      const record = stored.get(config.name) ?? {
        name: config.name,
        registeredAt: this.startedAt,
        watchStartedAt: this.startedAt,
        lastBeatAt: null,
        lastState: null,
        lastSource: null,
        okSince: null,
      };
      const history = histories.get(config.name);
      return { config, record, status: heartbeatStatus(config.max_staleness_ms, record, now), ...(history ? { history } : {}) };
    });
  }

  async list(): Promise<HeartbeatView[]> {
    return (await this.snapshots()).map((s) => this.view(s));
  }

  view(s: HeartbeatSnapshot): HeartbeatView {
    return {
      name: s.config.name,
      source: s.config.source,
      lastBeatAt: s.record.lastBeatAt?.toISOString() ?? null,
      lastState: s.record.lastState,
      stalenessSeconds: s.status.stalenessSeconds,
      maxStalenessSeconds: s.config.max_staleness_ms / 1000,
      targetSeconds: s.config.target_ms / 1000,
      state: s.status.state,
      since: s.status.since.toISOString(),
      ...(s.history ? { history: s.history } : {}),
    };
  }
}
