import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { listTargets } from '../channels/targets.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { CONFIG_HOLDER, type ConfigHolder } from '../config/config.holder.js';
import { Database } from '../db/database.service.js';
import type { Tx } from '../db/tx.js';
import { DeliveryOutboxRepository } from '../delivery/delivery-outbox.repository.js';
import type { NewDelivery } from '../delivery/delivery.types.js';
import { AlertGroupsRepository, type NotificationGroup, type TargetLogEntry } from './alert-groups.repository.js';
import { type AlertRecord, isResolvedAt } from './alert.types.js';
import { AlertsRepository } from './alerts.repository.js';
import { ALERTS_SETTINGS, type AlertsSettings } from './alerts.settings.js';
import { type FlushRecord, GroupFlushRepository } from './group-flush.repository.js';
import { decideGroupFlush, type GroupAlertState, type GroupTimingOptions, nextFlushAt } from './group-timing.js';
import { MuteContext } from './mute-context.js';
import { buildNotification } from './notification.js';
import { type RoutingSnapshot, routingSnapshotOf } from './routing-snapshot.js';
import { SilencesRepository } from './silences.repository.js';

export interface FlushOutcome {
  /** Deliveries created, each with the fingerprints it carries. */
  deliveries: { id: string; fingerprints: string[] }[];
}

/** Lazily built per transaction: silences and firing alerts are read once for many groups. */
export type MuteContextSource = () => Promise<MuteContext>;

/**
 * Flushes notification groups kept in PostgreSQL. A due group (`next_flush_at <= now`) is
 * claimed with `FOR UPDATE SKIP LOCKED` inside its own transaction: the row lock is the lease
 * (a crashed flush rolls back and the group is due again), so a flush is neither lost nor
 * repeated, and two replicas never flush the same group. Time comes from the injected Clock;
 * tests call `flushDue(now)` themselves.
 */
@Injectable()
export class GroupFlusher implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private wakeAt: number | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastCleanup = 0;
  private readonly logger = new Logger('group-flusher');

  constructor(
    private readonly db: Database,
    private readonly groups: AlertGroupsRepository,
    private readonly alerts: AlertsRepository,
    private readonly silences: SilencesRepository,
    private readonly outbox: DeliveryOutboxRepository,
    private readonly flushRepo: GroupFlushRepository,
    @Inject(CONFIG_HOLDER) private readonly config: ConfigHolder,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ALERTS_SETTINGS) private readonly settings: AlertsSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.flushPollMs > 0) this.schedule(this.settings.flushPollMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopPolling();
  }

  /** Stops the poll loop and waits for a running pass (shutdown; tests that drive flushes themselves). */
  async stopPolling(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.timer = this.wakeTimer = null;
    await this.running;
  }

  /** Asks for a pass at `at` (a group becomes due then) when that is sooner than the next poll. */
  wakeUpAt(at: Date): void {
    if (this.stopped || this.settings.flushPollMs === 0) return;
    const delay = Math.max(0, at.getTime() - this.clock.now().getTime());
    if (delay >= this.settings.flushPollMs) return;
    const target = Date.now() + delay;
    if (this.wakeAt !== null && this.wakeAt <= target) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAt = target;
    this.wakeTimer = setTimeout(() => {
      this.wakeAt = null;
      this.wakeTimer = null;
      void this.pass();
    }, delay);
    this.wakeTimer.unref();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.pass().finally(() => this.schedule(this.settings.flushPollMs));
    }, ms);
    this.timer.unref();
  }

  private pass(): Promise<void> {
    if (this.running || this.stopped) return this.running ?? Promise.resolve();
    this.running = (async () => {
      try {
        const now = this.clock.now();
        await this.flushDue(now);
        if (now.getTime() - this.lastCleanup >= this.settings.cleanupEveryMs) {
          this.lastCleanup = now.getTime();
          await this.cleanup(now);
        }
      } catch (err) {
        this.logger.error({ err }, 'group flush pass failed; retrying at the next poll');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /**
   * Flushes every group due at `now`, one transaction per group; returns how many were flushed.
   * A group whose flush fails is rolled back (due again at the next pass) and skipped for the
   * rest of this one, so it cannot hold back the others; the first such error is thrown once
   * every other due group has been flushed.
   */
  async flushDue(now: Date = this.clock.now(), max = 10_000): Promise<number> {
    let count = 0;
    const failed: string[] = [];
    let firstError: unknown = null;
    while (count < max) {
      let claimed = null as string | null;
      try {
        const flushed = await this.db.transaction(async (tx) => {
          const group = await this.groups.claimDue(tx, now, failed);
          if (!group) return false;
          claimed = group.id;
          await this.flushGroup(tx, group, now, this.muteContextSource(tx, now));
          return true;
        });
        if (!flushed) break;
        count++;
      } catch (err) {
        // Not a group's own failure (the claim itself failed): stop this pass.
        if (claimed === null) throw err;
        this.logger.error({ err, groupId: claimed }, 'group flush failed; rolled back, retried at the next pass');
        failed.push(claimed);
        firstError ??= err;
      }
    }
    if (firstError !== null) throw firstError;
    return count;
  }

  /** Deletes resolved alerts that left every group more than `retention.alerts` ago. */
  async cleanup(now: Date): Promise<number> {
    const keepMs = this.config.current().retention?.alerts_ms ?? 24 * 3600_000;
    return this.alerts.deleteResolvedBefore(this.db.reader, new Date(now.getTime() - keepMs));
  }

  /** Silences and firing alerts as of `now`, read once and only when needed. */
  muteContextSource(tx: Tx, now: Date): MuteContextSource {
    let ctx: Promise<MuteContext> | null = null;
    return () => {
      ctx ??= (async () => {
        const snapshot = routingSnapshotOf(this.config.current());
        const silences = await this.silences.listUnexpired(tx, now);
        const firing = snapshot.inhibitor.rules.length > 0 ? await this.alerts.listFiring(tx, now) : [];
        return new MuteContext(silences, snapshot.inhibitor, firing, now);
      })();
      return ctx;
    };
  }

  /**
   * One tick of a group, in the caller's transaction, with the group row locked by it: decides
   * per target (Alertmanager's dedup), creates the deliveries, drops resolved alerts, and
   * records the state (or deletes the group once it is empty).
   */
  flushGroup(tx: Tx, group: NotificationGroup, now: Date, mute: MuteContextSource): Promise<FlushOutcome> {
    return this.flushGroups(tx, [group], now, mute);
  }

  /**
   * `flushGroup` for many groups (all locked by the caller's transaction) with set-at-a-time
   * statements: one read of every group's members, one INSERT of all deliveries and one UPDATE
   * of every flushed group's state; only groups that empty or are not due yet cost a statement
   * of their own.
   */
  async flushGroups(tx: Tx, groups: readonly NotificationGroup[], now: Date, mute: MuteContextSource): Promise<FlushOutcome> {
    if (groups.length === 0) return { deliveries: [] };
    const config = this.config.current();
    const snapshot = routingSnapshotOf(config);
    const membersByGroup = await this.flushRepo.membersOfMany(
      tx,
      groups.map((g) => g.id),
    );
    const deliveries: NewDelivery[] = [];
    const records: FlushRecord[] = [];

    for (const group of groups) {
      const route = snapshot.routesById.get(group.routeId) ?? null;
      const timingRoute = route ?? snapshot.root;
      const timing: GroupTimingOptions = {
        groupWaitMs: timingRoute.groupWaitMs,
        groupIntervalMs: timingRoute.groupIntervalMs,
        repeatIntervalMs: timingRoute.repeatIntervalMs,
      };

      const members = membersByGroup.get(group.id) ?? [];
      if (members.length === 0) {
        await this.groups.deleteIfEmpty(tx, group.id);
        continue;
      }

      const allStates: GroupAlertState[] = members.map((a) => ({ fingerprint: a.fingerprint, resolved: isResolvedAt(a, now), startsAt: a.startsAt }));
      const due = nextFlushAt({ firstAlertAt: group.createdAt, lastFlushAt: group.lastFlushAt }, allStates, timing);
      if (due.getTime() > now.getTime()) {
        await this.groups.setNextFlush(tx, group.id, due);
        continue;
      }

      const resolvedNow = members.filter((a) => isResolvedAt(a, now)).map((a) => a.fingerprint);
      const targetLog: Record<string, TargetLogEntry> = { ...group.targetLog };

      if (!(route && snapshot.timeMuted(route, now))) {
        const ctx = await mute();
        const visible = members.filter((a) => !ctx.isMuted(a.labels));
        const states: GroupAlertState[] = visible.map((a) => ({ fingerprint: a.fingerprint, resolved: isResolvedAt(a, now), startsAt: a.startsAt }));
        const byFp = new Map<string, AlertRecord>(visible.map((a) => [a.fingerprint, a]));
        for (const target of listTargets(group.receiver, config)) {
          const prev = targetLog[target.targetKey];
          const decision = decideGroupFlush(
            {
              firstAlertAt: group.createdAt,
              lastFlushAt: group.lastFlushAt,
              notifiedFiring: prev?.firing ?? [],
              notifiedResolved: prev?.resolved ?? [],
              lastNotifiedAt: prev ? new Date(prev.at) : null,
            },
            states,
            timing,
            target.sendResolved,
            now,
          );
          if (!decision.notify) continue;
          targetLog[target.targetKey] = { firing: decision.firing, resolved: decision.resolved, at: now.toISOString() };
          if (!decision.send) continue;
          const alerts = decision.sendFingerprints.map((fp) => byFp.get(fp)).filter((a): a is AlertRecord => a !== undefined);
          deliveries.push({
            channel: target.channel,
            recipient: target.recipient,
            receiver: group.receiver,
            targetKey: target.targetKey,
            groupId: group.id,
            groupKey: group.groupKey,
            fingerprints: alerts.map((a) => a.fingerprint),
            payload: buildNotification({
              receiver: group.receiver,
              groupKey: group.groupKey,
              groupLabels: group.groupLabels,
              alerts,
              externalURL: this.settings.externalUrl,
              now,
            }),
            dueAt: now,
          });
        }
      }

      // As Alertmanager: resolved alerts leave the group once a flush has dealt with them.
      await this.groups.removeMembers(tx, group.id, resolvedNow);
      if (resolvedNow.length === members.length) {
        await this.groups.deleteIfEmpty(tx, group.id);
      } else {
        records.push({ groupId: group.id, at: now, nextFlushAt: new Date(now.getTime() + timing.groupIntervalMs), targetLog });
      }
    }

    const ids = await this.outbox.insertPending(tx, deliveries);
    await this.flushRepo.recordFlushes(tx, records);
    return { deliveries: ids.map((id, i) => ({ id, fingerprints: deliveries[i].fingerprints })) };
  }

  /** The snapshot flushes use now (for callers that route in the same breath). */
  snapshot(): RoutingSnapshot {
    return routingSnapshotOf(this.config.current());
  }
}
