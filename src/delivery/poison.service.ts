import { Injectable } from '@nestjs/common';
import { AuditWriter } from '../audit/audit.writer.js';
import { AuditAction } from '../audit/audit.types.js';
import type { RequestMeta } from '../auth/api-key.service.js';
import { conflict, notFound } from '../common/app-error.js';
import { Database } from '../db/database.service.js';
import type { Tx } from '../db/tx.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import type { BulkReplayResult, DeliveryView, PoisonSelector } from './deliveries.types.js';

/** Operator actions on the poison queue; each change and its audit entry commit together. */
@Injectable()
export class PoisonService {
  constructor(
    private readonly db: Database,
    private readonly repo: DeliveriesRepository,
    private readonly audit: AuditWriter,
  ) {}

  /** Poison → pending (retryCount 0, due now). 404 unknown; 409 when it is not poison (any more). */
  replay(id: string, reason: string | null, meta: RequestMeta): Promise<DeliveryView> {
    return this.db.transaction(async (tx) => {
      const delivery = await this.repo.replayOne(tx, id);
      if (!delivery) throw await this.notPoison(tx, id, 'replayed');
      await this.audit.append(tx, {
        actor: meta.actor,
        action: AuditAction.DeliveryReplay,
        target: `delivery:${id}`,
        requestId: meta.requestId,
        details: { reason, ids: [id], channel: delivery.channel, recipient: delivery.recipient },
      });
      return delivery;
    });
  }

  /** Replays every poison delivery the selector matches; a dry run reports the same ids and changes nothing. */
  bulkReplay(selector: PoisonSelector, dryRun: boolean, reason: string, meta: RequestMeta): Promise<BulkReplayResult> {
    if (dryRun) {
      return this.repo.selectPoison(this.db.reader, selector).then((ids) => ({ dryRun: true, replayed: ids.length, ids }));
    }
    return this.db.transaction(async (tx) => {
      const ids = await this.repo.replayMany(tx, selector);
      await this.audit.append(tx, {
        actor: meta.actor,
        action: AuditAction.DeliveryBulkReplay,
        target: null,
        requestId: meta.requestId,
        details: {
          reason,
          selector: {
            ids: selector.ids ?? null,
            channel: selector.channel ?? null,
            failedAfter: selector.failedAfter?.toISOString() ?? null,
            failedBefore: selector.failedBefore?.toISOString() ?? null,
          },
          replayed: ids.length,
          ids,
        },
      });
      return { dryRun: false, replayed: ids.length, ids };
    });
  }

  /** Poison → discarded: it will never be sent. 404 unknown; 409 when it is not poison. */
  discard(id: string, reason: string, meta: RequestMeta): Promise<DeliveryView> {
    return this.db.transaction(async (tx) => {
      const delivery = await this.repo.discard(tx, id);
      if (!delivery) throw await this.notPoison(tx, id, 'discarded');
      await this.audit.append(tx, {
        actor: meta.actor,
        action: AuditAction.DeliveryDiscard,
        target: `delivery:${id}`,
        requestId: meta.requestId,
        details: { reason, ids: [id], channel: delivery.channel, recipient: delivery.recipient },
      });
      return delivery;
    });
  }

  private async notPoison(tx: Tx, id: string, verb: string): Promise<Error> {
    const current = await this.repo.findById(tx, id);
    if (!current) return notFound(`delivery ${id}`);
    return conflict(`delivery ${id} is ${current.status}, not poison: only poison deliveries can be ${verb}`);
  }
}
