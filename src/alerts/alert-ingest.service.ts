import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import { CONFIG_HOLDER, type ConfigHolder } from '../config/config.holder.js';
import { Database } from '../db/database.service.js';
import { compareGoStrings } from './go-strings.js';
import { type GroupUpsert, AlertGroupsRepository } from './alert-groups.repository.js';
import { applyIncoming, toRecord } from './alert-merge.js';
import { type AlertRecord, AlertStatus, type IncomingAlert, type IngestSource, statusAt } from './alert.types.js';
import { AlertsMetrics } from './alerts.metrics.js';
import { AlertsRepository } from './alerts.repository.js';
import { GroupFlusher } from './group-flusher.js';
import { nextFlushAt } from './group-timing.js';
import { groupKey, groupLabels } from './route.js';
import { routingSnapshotOf } from './routing-snapshot.js';

export interface IngestedAlert {
  fingerprint: string;
  status: AlertStatus;
  /** Deliveries this request created that carry the alert (group_wait 0s). */
  deliveries: string[];
}

/**
 * Takes validated alerts and, in one transaction: stores them with Alertmanager's merge rules,
 * routes each one, adds it to its notification groups, and flushes at once the groups that are
 * due (`group_wait: 0s`), so a 2xx reply means the deliveries exist or the group will flush.
 */
@Injectable()
export class AlertIngestService {
  constructor(
    private readonly db: Database,
    private readonly alerts: AlertsRepository,
    private readonly groups: AlertGroupsRepository,
    private readonly flusher: GroupFlusher,
    private readonly metrics: AlertsMetrics,
    @Inject(CONFIG_HOLDER) private readonly config: ConfigHolder,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Results in the order of `incoming`. */
  async ingest(incoming: readonly IncomingAlert[], source: IngestSource): Promise<IngestedAlert[]> {
    if (incoming.length === 0) return [];
    const now = this.clock.now();
    const config = this.config.current();
    const snapshot = routingSnapshotOf(config);
    const records = incoming.map((a) => toRecord(a, source, now, config.global.resolve_timeout_ms));
    const fingerprints = [...new Set(records.map((r) => r.fingerprint))].sort();

    const { stored, deliveriesByFp, wake } = await this.db.transaction(async (tx) => {
      const existing = await this.alerts.lockByFingerprints(tx, fingerprints);
      // Alerts of one batch with the same labels apply in order, as successive posts would.
      const merged = new Map<string, AlertRecord>(existing);
      for (const r of records) merged.set(r.fingerprint, applyIncoming(merged.get(r.fingerprint), r, now));
      const stored = fingerprints.map((fp) => merged.get(fp) as AlertRecord);
      await this.alerts.upsertMany(tx, stored);

      const groupRows = new Map<string, GroupUpsert & { fingerprints: string[] }>();
      for (const alert of stored) {
        for (const route of snapshot.match(alert.labels)) {
          const key = groupKey(route, alert.labels);
          const id = `${key}\u0000${route.receiver}`;
          const timing = { groupWaitMs: route.groupWaitMs, groupIntervalMs: route.groupIntervalMs, repeatIntervalMs: route.repeatIntervalMs };
          const firstFlush = nextFlushAt({ firstAlertAt: now, lastFlushAt: null }, [{ fingerprint: alert.fingerprint, resolved: false, startsAt: alert.startsAt }], timing);
          const row = groupRows.get(id);
          if (row) {
            if (firstFlush < row.nextFlushAt) row.nextFlushAt = firstFlush;
            if (!row.fingerprints.includes(alert.fingerprint)) row.fingerprints.push(alert.fingerprint);
          } else {
            groupRows.set(id, {
              groupKey: key,
              receiver: route.receiver,
              routeId: route.id(),
              groupLabels: groupLabels(route, alert.labels),
              createdAt: now,
              nextFlushAt: firstFlush,
              fingerprints: [alert.fingerprint],
            });
          }
        }
      }
      const ordered = [...groupRows.values()].sort((a, b) => compareGoStrings(a.groupKey, b.groupKey) || compareGoStrings(a.receiver, b.receiver));
      const groups = await this.groups.upsertGroups(tx, ordered);
      const byId = new Map(ordered.map((g) => [`${g.groupKey}\u0000${g.receiver}`, g]));
      await this.groups.addMembers(
        tx,
        groups.flatMap((g) => (byId.get(`${g.groupKey}\u0000${g.receiver}`)?.fingerprints ?? []).map((fingerprint) => ({ groupId: g.id, fingerprint }))),
      );

      const deliveriesByFp = new Map<string, string[]>();
      const mute = this.flusher.muteContextSource(tx, now);
      let wake: Date | null = null;
      const dueNow: typeof groups = [];
      for (const g of groups) {
        if (g.nextFlushAt !== null && g.nextFlushAt.getTime() <= now.getTime()) {
          dueNow.push(g);
        } else if (g.nextFlushAt !== null && (wake === null || g.nextFlushAt < wake)) {
          wake = g.nextFlushAt;
        }
      }
      const outcome = await this.flusher.flushGroups(tx, dueNow, now, mute);
      for (const d of outcome.deliveries) {
        for (const fp of d.fingerprints) deliveriesByFp.set(fp, [...(deliveriesByFp.get(fp) ?? []), d.id]);
      }
      return { stored: new Map(stored.map((a) => [a.fingerprint, a])), deliveriesByFp, wake };
    });

    this.metrics.received.inc({ source }, incoming.length);
    if (wake) this.flusher.wakeUpAt(wake);
    return records.map((r) => {
      const alert = stored.get(r.fingerprint) as AlertRecord;
      return { fingerprint: r.fingerprint, status: statusAt(alert, now), deliveries: deliveriesByFp.get(r.fingerprint) ?? [] };
    });
  }
}
