import { createHash } from 'node:crypto';
import { canonicalJson } from '../common/canonical-json.js';

export interface HashedContent {
  id: string;
  at: Date;
  actorKeyId: string | null;
  actorKeyName: string;
  action: string;
  target: string | null;
  requestId: string | null;
  details: unknown;
  prevHash: string;
}

/** sha256 over the row's content and the previous row's hash: change or remove a row and the chain breaks. */
export function auditHash(c: HashedContent): string {
  const content = canonicalJson([
    c.id,
    c.at.toISOString(),
    c.actorKeyId,
    c.actorKeyName,
    c.action,
    c.target,
    c.requestId,
    c.details,
    c.prevHash,
  ]);
  return createHash('sha256').update(content, 'utf8').digest('hex');
}
