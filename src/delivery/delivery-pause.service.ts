import { Inject, Injectable } from '@nestjs/common';
import { AuditAction } from '../audit/audit.types.js';
import { AuditWriter } from '../audit/audit.writer.js';
import type { RequestMeta } from '../auth/api-key.service.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { Database } from '../db/database.service.js';
import { DeliveryPauseRepository, type PauseState } from './delivery-pause.repository.js';

/**
 * Pause and resume of all sending, on every replica: the switch lives in `ops_state` and the
 * claim query reads it, so a pause holds from the moment it commits and survives restarts.
 * Ingest is not affected; sends already in flight finish.
 */
@Injectable()
export class DeliveryPauseService {
  constructor(
    private readonly db: Database,
    private readonly repo: DeliveryPauseRepository,
    private readonly audit: AuditWriter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  status(): Promise<PauseState> {
    return this.repo.read(this.db.reader);
  }

  pause(reason: string, meta: RequestMeta): Promise<PauseState> {
    return this.set(true, reason, meta);
  }

  resume(reason: string, meta: RequestMeta): Promise<PauseState> {
    return this.set(false, reason, meta);
  }

  private set(paused: boolean, reason: string, meta: RequestMeta): Promise<PauseState> {
    return this.db.transaction(async (tx) => {
      const before = await this.repo.lock(tx);
      const since = before.paused === paused && before.since ? before.since : this.clock.now().toISOString();
      const state: PauseState = { paused, since, by: meta.actor.keyName, reason };
      await this.repo.write(tx, state);
      if (!paused) await this.repo.wakeWorkers(tx);
      await this.audit.append(tx, {
        actor: meta.actor,
        action: paused ? AuditAction.DeliveryPause : AuditAction.DeliveryResume,
        target: 'deliveries',
        requestId: meta.requestId,
        details: { reason, wasPaused: before.paused },
      });
      return state;
    });
  }
}
