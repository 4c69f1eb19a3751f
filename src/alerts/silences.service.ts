import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditWriter } from '../audit/audit.writer.js';
import { AuditAction } from '../audit/audit.types.js';
import type { RequestMeta } from '../auth/api-key.service.js';
import { invalid, notFound } from '../common/app-error.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { Database } from '../db/database.service.js';
import type { Tx } from '../db/tx.js';
import { canUpdateInPlace, silenceState, toGettableSilence, validateSilence } from './silence-logic.js';
import { type GettableSilence, type SilenceMatcher, type SilenceRecord, SilenceState } from './silence.types.js';
import { SilencesRepository } from './silences.repository.js';

export interface PostableSilence {
  id?: string;
  matchers: SilenceMatcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  comment: string;
}

/** Silences as Alertmanager keeps them, each creation and expiry audited in its transaction. */
@Injectable()
export class SilencesService {
  constructor(
    private readonly db: Database,
    private readonly repo: SilencesRepository,
    private readonly audit: AuditWriter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Creates a silence, or updates one by id (in place when Alertmanager would, else it replaces it); returns the id. */
  async upsert(input: PostableSilence, meta: RequestMeta): Promise<string> {
    const now = this.clock.now();
    const errors = validateSilence(input, now);
    if (errors.length > 0) throw invalid(errors);
    return this.db.transaction(async (tx) => {
      const prev = input.id ? await this.repo.findForUpdate(tx, input.id) : null;
      if (input.id && !prev) throw notFound(`silence ${input.id}`);
      if (prev && canUpdateInPlace(prev, input, now)) {
        const updated: SilenceRecord = { ...prev, ...input, id: prev.id, updatedAt: now };
        await this.repo.update(tx, updated);
        await this.auditCreate(tx, updated, meta, { updated: true });
        return prev.id;
      }
      if (prev && silenceState(prev, now) !== SilenceState.Expired) await this.expireInTx(tx, prev.id, now, meta, 'replaced by an update');
      const created: SilenceRecord = {
        id: randomUUID(),
        matchers: input.matchers,
        startsAt: input.startsAt.getTime() < now.getTime() ? now : input.startsAt,
        endsAt: input.endsAt,
        createdBy: input.createdBy,
        comment: input.comment,
        updatedAt: now,
      };
      await this.repo.insert(tx, created);
      await this.auditCreate(tx, created, meta, prev ? { replaces: prev.id } : {});
      return created.id;
    });
  }

  /** Expires a silence (ends now; kept as history). 404 unknown; expiring an expired one changes nothing. */
  async expire(id: string, meta: RequestMeta): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      const prev = await this.repo.findForUpdate(tx, id);
      if (!prev) throw notFound(`silence ${id}`);
      if (silenceState(prev, now) === SilenceState.Expired) return;
      await this.expireInTx(tx, id, now, meta, null);
    });
  }

  async get(id: string): Promise<GettableSilence> {
    const s = await this.repo.find(this.db.reader, id);
    if (!s) throw notFound(`silence ${id}`);
    return toGettableSilence(s, this.clock.now());
  }

  async list(): Promise<GettableSilence[]> {
    const now = this.clock.now();
    return (await this.repo.listAll(this.db.reader)).map((s) => toGettableSilence(s, now));
  }

  private async expireInTx(tx: Tx, id: string, now: Date, meta: RequestMeta, reason: string | null): Promise<void> {
    await this.repo.expire(tx, id, now);
    await this.audit.append(tx, {
      actor: meta.actor,
      action: AuditAction.SilenceExpire,
      target: `silence:${id}`,
      requestId: meta.requestId,
      details: reason ? { reason } : {},
    });
  }

  private async auditCreate(tx: Tx, s: SilenceRecord, meta: RequestMeta, extra: Record<string, unknown>): Promise<void> {
    await this.audit.append(tx, {
      actor: meta.actor,
      action: AuditAction.SilenceCreate,
      target: `silence:${s.id}`,
      requestId: meta.requestId,
      details: { matchers: s.matchers, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), createdBy: s.createdBy, comment: s.comment, ...extra },
    });
  }
}
