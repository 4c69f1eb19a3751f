import { Injectable } from '@nestjs/common';
import { sql, execute, type Tx } from '../db/tx.js';
import type { ApiKeyView, Scope } from './auth.types.js';

interface KeyRow {
  id: string;
  name: string;
  scopes: Scope[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface SecretMatch {
  keyId: string;
  name: string;
  scopes: Scope[];
  secretHash: Buffer;
  lastUsedAt: Date | null;
}

const toView = (r: KeyRow): ApiKeyView => ({
  id: String(r.id),
  name: r.name,
  scopes: r.scopes,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

@Injectable()
export class ApiKeyRepository {
  async insertKey(tx: Tx, name: string, scopes: Scope[], at: Date): Promise<ApiKeyView> {
    const [row] = await sql<KeyRow>(
      tx,
      `INSERT INTO api_keys (name, scopes, created_at) VALUES ($1, $2, $3)
       RETURNING id, name, scopes, created_at, last_used_at, revoked_at`,
      [name, scopes, at],
    );
    return toView(row);
  }

  async insertSecret(tx: Tx, keyId: string, lookup: string, secretHash: Buffer, at: Date): Promise<void> {
    await sql(tx, `INSERT INTO api_key_secrets (key_id, lookup, secret_hash, created_at) VALUES ($1, $2, $3, $4)`, [
      keyId,
      lookup,
      secretHash,
      at,
    ]);
  }

  /** Secrets of a key still valid at `at` get `expiresAt` (the 24 h rotation grace) unless they expire sooner. */
  async expireSecrets(tx: Tx, keyId: string, expiresAt: Date): Promise<void> {
    await execute(
      tx,
      `UPDATE api_key_secrets SET expires_at = $2 WHERE key_id = $1 AND (expires_at IS NULL OR expires_at > $2)`,
      [keyId, expiresAt],
    );
  }

  async findLive(tx: Tx, keyId: string): Promise<ApiKeyView | null> {
    const [row] = await sql<KeyRow>(
      tx,
      `SELECT id, name, scopes, created_at, last_used_at, revoked_at FROM api_keys WHERE id = $1 AND revoked_at IS NULL FOR UPDATE`,
      [keyId],
    );
    return row ? toView(row) : null;
  }

  async findLiveByName(tx: Tx, name: string): Promise<ApiKeyView | null> {
    const [row] = await sql<KeyRow>(
      tx,
      `SELECT id, name, scopes, created_at, last_used_at, revoked_at FROM api_keys WHERE name = $1 AND revoked_at IS NULL`,
      [name],
    );
    return row ? toView(row) : null;
  }

  /** Serialises first-start key creation across replicas starting together. */
  async lockBootstrap(tx: Tx): Promise<void> {
    await sql(tx, 'SELECT pg_advisory_xact_lock($1)', [7_361_003]);
  }

  async countLive(tx: Tx): Promise<number> {
    const [row] = await sql<{ n: string }>(tx, `SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL`);
    return Number(row.n);
  }

  /** Newest first, at most `limit` keys with an id below `beforeId` (all when null). */
  async list(tx: Tx, limit: number, beforeId: string | null): Promise<ApiKeyView[]> {
    const rows = await sql<KeyRow>(
      tx,
      `SELECT id, name, scopes, created_at, last_used_at, revoked_at FROM api_keys
       WHERE ($2::bigint IS NULL OR id < $2::bigint) ORDER BY id DESC LIMIT $1`,
      [limit, beforeId],
    );
    return rows.map(toView);
  }

  async revoke(tx: Tx, keyId: string, at: Date): Promise<boolean> {
    const n = await execute(tx, `UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [keyId, at]);
    if (n > 0) await execute(tx, `UPDATE api_key_secrets SET expires_at = $2 WHERE key_id = $1`, [keyId, at]);
    return n > 0;
  }

  /** Candidate secrets for a presented token, valid at `at`, of keys not revoked. */
  async findByLookup(tx: Tx, lookup: string, at: Date): Promise<SecretMatch[]> {
    const rows = await sql<{ key_id: string; name: string; scopes: Scope[]; secret_hash: Buffer; last_used_at: Date | null }>(
      tx,
      `SELECT k.id AS key_id, k.name, k.scopes, s.secret_hash, k.last_used_at
         FROM api_key_secrets s JOIN api_keys k ON k.id = s.key_id
        WHERE s.lookup = $1 AND k.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > $2)`,
      [lookup, at],
    );
    return rows.map((r) => ({ keyId: String(r.key_id), name: r.name, scopes: r.scopes, secretHash: r.secret_hash, lastUsedAt: r.last_used_at }));
  }

  /** At most one write a minute per key, so every request does not become a write. */
  async touch(tx: Tx, keyId: string, at: Date): Promise<void> {
    await execute(
      tx,
      `UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
      [keyId, at],
    );
  }
}
