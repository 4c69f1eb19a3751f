import { Injectable } from '@nestjs/common';
import { sql, type Tx } from '../db/tx.js';
import { GENESIS_HASH } from './audit.types.js';

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

  /** Rows in chain order after `afterId`, for verification in batches. */
  async chainBatch(tx: Tx, afterId: string, limit: number): Promise<AuditRow[]> {
    return sql<AuditRow>(
      tx,
      `SELECT id::text, at, actor_key_id::text, actor_key_name, action, target, request_id, details, prev_hash, hash
         FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
  }
}
