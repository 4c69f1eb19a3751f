import { auditHash } from './audit-hash.js';
import type { AuditRow } from './audit.repository.js';
import { GENESIS_HASH, type VerifyResult } from './audit.types.js';

/**
 * Walks the hash chain in id order, fed one batch at a time. A row whose content no longer gives
 * its stored hash is named; so is a row whose `prev_hash` is not the previous row's hash (the row
 * after a deleted one). After a break the walk goes on from the stored hash, so only the first
 * break is reported but every row is counted.
 */
export class ChainVerifier {
  private prevHash = GENESIS_HASH;
  private checked = 0;
  private firstBadId: string | null = null;

  feed(rows: readonly AuditRow[]): void {
    for (const row of rows) {
      this.checked += 1;
      const linked = row.prev_hash === this.prevHash;
      const recomputed = auditHash({
        id: row.id,
        at: new Date(row.at),
        actorKeyId: row.actor_key_id,
        actorKeyName: row.actor_key_name,
        action: row.action,
        target: row.target,
        requestId: row.request_id,
        details: row.details,
        prevHash: row.prev_hash,
      });
      if ((!linked || recomputed !== row.hash) && this.firstBadId === null) this.firstBadId = row.id;
      this.prevHash = row.hash;
    }
  }

  result(): VerifyResult {
    return { ok: this.firstBadId === null, checked: this.checked, firstBadId: this.firstBadId };
  }
}
