import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { CLOCK, type Clock } from '../common/clock.js';
import type { Tx } from '../db/tx.js';
import { auditHash } from './audit-hash.js';
import { AuditMetrics } from './audit.metrics.js';
import { AuditRepository } from './audit.repository.js';
import type { AuditInput } from './audit.types.js';

/** Appends to the hash chain inside the caller's transaction: the action and its audit entry commit together. */
@Injectable()
export class AuditWriter {
  constructor(
    private readonly repo: AuditRepository,
    private readonly metrics: AuditMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async append(tx: Tx, input: AuditInput): Promise<string> {
    const started = performance.now();
    const { nextId, prevHash } = await this.repo.lockChainHead(tx);
    const at = this.clock.now();
    const content = {
      id: nextId,
      at,
      actorKeyId: input.actor.keyId,
      actorKeyName: input.actor.keyName,
      action: input.action,
      target: input.target,
      requestId: input.requestId,
      details: input.details,
      prevHash,
    };
    const hash = auditHash(content);
    const writeSeconds = (performance.now() - started) / 1000;
    await this.repo.insert(tx, { ...content, hash, writeSeconds });
    this.metrics.writeDuration.observe((performance.now() - started) / 1000);
    return nextId;
  }
}
