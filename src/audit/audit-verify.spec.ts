import { auditHash } from './audit-hash.js';
import { ChainVerifier } from './audit-verify.js';
import type { AuditRow } from './audit.repository.js';
import { GENESIS_HASH } from './audit.types.js';

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const row = {
      id: String(i),
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      actor_key_id: i % 2 ? null : '3',
      actor_key_name: i % 2 ? 'system' : 'ops',
      action: 'key.create',
      target: `key:${i}`,
      request_id: null,
      details: { i },
      prev_hash: prev,
      hash: '',
    };
    row.hash = auditHash({ ...row, actorKeyId: row.actor_key_id, actorKeyName: row.actor_key_name, requestId: null, prevHash: prev });
    prev = row.hash;
    rows.push(row);
  }
  return rows;
}

function verify(rows: AuditRow[], batch = 2): ReturnType<ChainVerifier['result']> {
  const v = new ChainVerifier();
  for (let i = 0; i < rows.length; i += batch) v.feed(rows.slice(i, i + batch));
  return v.result();
}

describe(ChainVerifier.name, () => {
  it('should accept an intact chain fed in batches', () => {
    expect(verify(chain(5))).toEqual({ ok: true, checked: 5, firstBadId: null });
  });

  it('should name a row whose content changed', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], details: { i: 99 } };
    expect(verify(rows)).toEqual({ ok: false, checked: 5, firstBadId: '3' });
  });

  it('should name the row after a deleted one', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verify(rows)).toEqual({ ok: false, checked: 4, firstBadId: '3' });
  });

  it('should name the row after one whose hash was recomputed to hide a change', () => {
    const rows = chain(4);
    const forged = { ...rows[1], target: 'key:other' };
    forged.hash = auditHash({ ...forged, actorKeyId: forged.actor_key_id, actorKeyName: forged.actor_key_name, requestId: null, prevHash: forged.prev_hash });
    rows[1] = forged;
    expect(verify(rows).firstBadId).toBe('3');
  });

  it('should name the first row when it does not start from the genesis hash', () => {
    expect(verify(chain(3).slice(1)).firstBadId).toBe('2');
  });
});
