import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { listTargets } from '../channels/targets.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { ROOT_LOGGER } from '../common/tokens.js';
import { CONFIG_HOLDER, type ConfigHolder } from '../config/config.holder.js';
import { Database } from '../db/database.service.js';
import type { Tx } from '../db/tx.js';
import { DeliveryOutboxRepository } from '../delivery/delivery-outbox.repository.js';
import type { NewDelivery } from '../delivery/delivery.types.js';
import { type FallbackCandidate, SloFallbackRepository } from './slo.repository.js';
import { SelfAlertName } from './slo.types.js';

const SELF_ALERT_NAMES: readonly string[] = Object.values(SelfAlertName);
/** How far back the sweep looks for self-alert deliveries. */
const LOOKBACK_MS = 3600_000;

/**
 * SPEC §6: as soon as one attempt to deliver one of Tocsin's own alerts to its primary
 * receiver fails, the notification is also sent to `slo.fallback_receiver` — once per
 * delivery, and afterwards every later notification of that group too (so the fallback hears
 * the resolve). The SLO leader sweeps for such deliveries every second; `copyToFallback` is
 * the same step for one delivery, for the delivery engine to call in its failed-attempt
 * transaction if it wants the copy without waiting for the sweep.
 */
@Injectable()
export class SloFallbackService {
  constructor(
    private readonly db: Database,
    private readonly repo: SloFallbackRepository,
    private readonly outbox: DeliveryOutboxRepository,
    @Inject(CONFIG_HOLDER) private readonly config: ConfigHolder,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Copies every pending candidate; returns how many deliveries were copied. */
  async sweep(now: Date = this.clock.now()): Promise<number> {
    const fallback = this.config.current().slo.fallback_receiver;
    if (!fallback) return 0;
    const candidates = await this.repo.candidates(this.db.reader, fallback, SELF_ALERT_NAMES, new Date(now.getTime() - LOOKBACK_MS));
    let copied = 0;
    for (const c of candidates) {
      if ((await this.db.transaction((tx) => this.copy(tx, c, fallback, now))).length > 0) copied++;
    }
    return copied;
  }

  /** Copies one candidate to the fallback receiver's targets inside `tx`; returns the new delivery ids. */
  async copy(tx: Tx, c: FallbackCandidate, fallback: string, now: Date): Promise<string[]> {
    if (!(await this.repo.claim(tx, c.id, c.groupKey, fallback, now))) return [];
    const resolved = c.payload.status === 'resolved';
    const rows: NewDelivery[] = listTargets(fallback, this.config.current())
      .filter((t) => !resolved || t.sendResolved)
      .map((t) => ({
        channel: t.channel,
        recipient: t.recipient,
        receiver: fallback,
        targetKey: t.targetKey,
        groupId: null,
        groupKey: c.groupKey,
        fingerprints: c.fingerprints,
        payload: { ...c.payload, receiver: fallback },
        dueAt: now,
      }));
    const ids = await this.outbox.insertPending(tx, rows);
    await this.repo.recordCopies(tx, c.id, ids);
    this.logger.warn(
      { deliveryId: c.id, fallbackReceiver: fallback, fallbackDeliveries: ids },
      'self-alert delivery failed on its primary receiver; sent to the SLO fallback receiver too',
    );
    return ids;
  }
}
