import { Injectable } from '@nestjs/common';
import { sql, type Tx } from '../db/tx.js';
import { type AuditEntry, type AuditFilter, GENESIS_HASH } from './audit.types.js';

/** Transaction-level advisory lock: appends are serialised across replicas, so id order is chain order. */
const AUDIT_CHAIN_LOCK = 7_361_002;

export interface AuditRow {
  id: string;
  at: Date;
  actor_key_id: string | null;
  actor_key_name: string;
  action: string;
  target: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export interface NewAuditRow {
  id: string;
  at: Date;
  actorKeyId: string | null;
  actorKeyName: string;
  action: string;
  target: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
  writeSeconds: number;
}

@Injectable()
export class AuditRepository {
  /** Takes the chain lock for the rest of the transaction; returns the next id and the last hash. */
  async lockChainHead(tx: Tx): Promise<{ nextId: string; prevHash: string }> {
    await sql(tx, 'SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const [head] = await sql<{ hash: string }>(tx, 'SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
    const [next] = await sql<{ id: string }>(tx, `SELECT nextval('audit_log_id_seq')::text AS id`);
    return { nextId: next.id, prevHash: head?.hash ?? GENESIS_HASH };
  }

  async insert(tx: Tx, row: NewAuditRow): Promise<void> {
    await sql(
      tx,
      `INSERT INTO audit_log (id, at, actor_key_id, actor_key_name, action, target, request_id, details, prev_hash, hash, write_seconds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [row.id, row.at, row.actorKeyId, row.actorKeyName, row.action, row.target, row.requestId, JSON.stringify(row.details), row.prevHash, row.hash, row.writeSeconds],
    );
  }

  /**
   * Rows in chain order after `afterId`, for verification in batches. (`ORDER BY a.id`, not
   * `id`: a bare `id` would sort by the `id::text` output column, so '10' before '9'.)
   */
  async chainBatch(tx: Tx, afterId: string, limit: number): Promise<AuditRow[]> {
    return sql<AuditRow>(
      tx,
      `SELECT a.id::text, a.at, a.actor_key_id::text, a.actor_key_name, a.action, a.target, a.request_id, a.details, a.prev_hash, a.hash
         FROM audit_log a WHERE a.id > $1 ORDER BY a.id LIMIT $2`,
      [afterId, limit],
    );
  }

  /** Entries matching the filter, newest first, with id below `beforeId` (and at most `maxId`). */
  async list(tx: Tx, f: AuditFilter, limit: number, beforeId: string | null, maxId: string | null = null): Promise<AuditEntry[]> {
    const { where, params } = filterWhere(f);
    if (beforeId !== null) {
      params.push(beforeId);
      where.push(`id < $${params.length}::bigint`);
    }
    if (maxId !== null) {
      params.push(maxId);
      where.push(`id <= $${params.length}::bigint`);
    }
    params.push(limit);
    const rows = await sql<AuditRow>(
      tx,
      `SELECT a.id::text, a.at, a.actor_key_id::text, a.actor_key_name, a.action, a.target, a.request_id, a.details, a.prev_hash, a.hash
         FROM audit_log a WHERE ${where.length ? where.join(' AND ') : 'TRUE'} ORDER BY a.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEntry);
  }

  /** How many entries match and the highest matching id (the bound of an export started now). */
  async countMatching(tx: Tx, f: AuditFilter): Promise<{ count: number; maxId: string | null }> {
    const { where, params } = filterWhere(f);
    const [row] = await sql<{ n: string; max_id: string | null }>(
      tx,
      `SELECT count(*)::text AS n, max(id)::text AS max_id FROM audit_log WHERE ${where.length ? where.join(' AND ') : 'TRUE'}`,
      params,
    );
    return { count: Number(row.n), maxId: row.max_id };
  }
}

function filterWhere(f: AuditFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.from !== undefined) {
    params.push(f.from);
    where.push(`at >= $${params.length}`);
  }
  if (f.to !== undefined) {
    params.push(f.to);
    where.push(`at < $${params.length}`);
  }
  if (f.action !== undefined) {
    params.push(f.action);
    where.push(`action = $${params.length}`);
  }
  if (f.actor !== undefined) {
    params.push(f.actor);
    where.push(`(actor_key_name = $${params.length} OR actor_key_id::text = $${params.length})`);
  }
  return { where, params };
}

export function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    actor: { keyId: r.actor_key_id, keyName: r.actor_key_name },
    action: r.action,
    target: r.target,
    requestId: r.request_id,
    details: r.details,
    hash: r.hash,
    prevHash: r.prev_hash,
  };
}
