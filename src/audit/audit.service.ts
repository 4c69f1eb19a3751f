import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { decodeCursor, type Page, toPage } from '../common/pagination.js';
import { Database } from '../db/database.service.js';
import { auditCsvStream, EXPORT_MAX_ROWS } from './audit-export.js';
import { ChainVerifier } from './audit-verify.js';
import { AuditRepository } from './audit.repository.js';
import type { AuditEntry, AuditFilter, VerifyResult } from './audit.types.js';

/** Rows read per query when verifying or exporting. */
const BATCH = 1000;

export interface AuditExport {
  /** More entries matched than one export carries. */
  truncated: boolean;
  rows: number;
  stream: Readable;
}

/** Reading the audit log: list, chain verification, CSV export. */
@Injectable()
export class AuditService {
  constructor(
    private readonly db: Database,
    private readonly repo: AuditRepository,
  ) {}

  async list(filter: AuditFilter, limit: number, cursor: string | undefined): Promise<Page<AuditEntry>> {
    const rows = await this.repo.list(this.db.reader, filter, limit + 1, decodeCursor(cursor));
    return toPage(rows, limit);
  }

  /** Recomputes every hash in id order, `BATCH` rows at a time. */
  async verify(): Promise<VerifyResult> {
    const verifier = new ChainVerifier();
    let after = '0';
    for (;;) {
      const rows = await this.repo.chainBatch(this.db.reader, after, BATCH);
      verifier.feed(rows);
      if (rows.length < BATCH) break;
      after = rows[rows.length - 1].id;
    }
    return verifier.result();
  }

  /**
   * Counts first (so `truncated` is known before the first byte), then streams the newest
   * matching entries, at most EXPORT_MAX_ROWS, bounded by the highest id the count saw.
   */
  async export(filter: AuditFilter): Promise<AuditExport> {
    const { count, maxId } = await this.repo.countMatching(this.db.reader, filter);
    const rows = Math.min(count, EXPORT_MAX_ROWS);
    const repo = this.repo;
    const reader = this.db.reader;
    async function* pages(): AsyncGenerator<AuditEntry[]> {
      if (maxId === null) return;
      let left = rows;
      let before: string | null = null;
      while (left > 0) {
        const page = await repo.list(reader, filter, Math.min(BATCH, left), before, maxId);
        if (page.length === 0) return;
        yield page;
        left -= page.length;
        before = page[page.length - 1].id;
      }
    }
    return { truncated: count > EXPORT_MAX_ROWS, rows, stream: auditCsvStream(pages()) };
  }
}
