import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import { notFound } from '../common/app-error.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { Database } from '../db/database.service.js';
import type { Tx } from '../db/tx.js';
import { AuditWriter } from '../audit/audit.writer.js';
import { AuditAction } from '../audit/audit.types.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { generateKey, hashSecret, lookupOf, sameHash } from './api-key.secret.js';
import { type Actor, type ApiKeyView, type IssuedKey, Scope, SYSTEM_ACTOR } from './auth.types.js';

/** How long a rotated-out secret keeps working (runbook). */
export const ROTATION_GRACE_MS = 24 * 3600 * 1000;

export interface RequestMeta {
  actor: Actor;
  requestId: string | null;
}

@Injectable()
export class ApiKeyService {
  constructor(
    private readonly db: Database,
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditWriter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async authenticate(token: string): Promise<Actor | null> {
    const hash = hashSecret(token);
    const now = this.clock.now();
    const candidates = await this.keys.findByLookup(this.db.reader, lookupOf(hash), now);
    const match = candidates.find((c) => sameHash(c.secretHash, hash));
    if (!match) return null;
    if (!match.lastUsedAt || now.getTime() - match.lastUsedAt.getTime() > 60_000) {
      await this.keys.touch(this.db.reader, match.keyId, now);
    }
    return { keyId: match.keyId, keyName: match.name, scopes: match.scopes };
  }

  create(name: string, scopes: Scope[], meta: RequestMeta): Promise<IssuedKey> {
    return this.db.transaction(async (tx) => this.createIn(tx, name, scopes, meta));
  }

  private async createIn(tx: Tx, name: string, scopes: Scope[], meta: RequestMeta, token = generateKey()): Promise<IssuedKey> {
    const now = this.clock.now();
    const view = await this.keys.insertKey(tx, name, scopes, now);
    const hash = hashSecret(token);
    await this.keys.insertSecret(tx, view.id, lookupOf(hash), hash, now);
    await this.audit.append(tx, {
      actor: meta.actor,
      action: AuditAction.KeyCreate,
      target: `key:${view.id}`,
      requestId: meta.requestId,
      details: { name, scopes },
    });
    return { id: view.id, name: view.name, scopes: view.scopes, key: token, createdAt: view.createdAt };
  }

  /** `/api/v1` list rules: newest first, `limit` per page, opaque cursor. */
  async list(limit: number, cursor: string | undefined): Promise<Page<ApiKeyView>> {
    const rows = await this.keys.list(this.db.reader, limit + 1, decodeCursor(cursor));
    return toPage(rows, limit);
  }

  rotate(keyId: string, meta: RequestMeta): Promise<IssuedKey> {
    return this.db.transaction(async (tx) => {
      const key = await this.keys.findLive(tx, keyId);
      if (!key) throw notFound(`API key ${keyId}`);
      const now = this.clock.now();
      const graceUntil = new Date(now.getTime() + ROTATION_GRACE_MS);
      await this.keys.expireSecrets(tx, keyId, graceUntil);
      const token = generateKey();
      const hash = hashSecret(token);
      await this.keys.insertSecret(tx, keyId, lookupOf(hash), hash, now);
      await this.audit.append(tx, {
        actor: meta.actor,
        action: AuditAction.KeyRotate,
        target: `key:${keyId}`,
        requestId: meta.requestId,
        details: { name: key.name, previousSecretValidUntil: graceUntil.toISOString() },
      });
      return { id: keyId, name: key.name, scopes: key.scopes, key: token, createdAt: now.toISOString() };
    });
  }

  revoke(keyId: string, meta: RequestMeta): Promise<void> {
    return this.db.transaction(async (tx) => {
      const key = await this.keys.findLive(tx, keyId);
      if (!key) throw notFound(`API key ${keyId}`);
      await this.keys.revoke(tx, keyId, this.clock.now());
      await this.audit.append(tx, {
        actor: meta.actor,
        action: AuditAction.KeyRevoke,
        target: `key:${keyId}`,
        requestId: meta.requestId,
        details: { name: key.name },
      });
    });
  }

  /**
   * At start: TOCSIN_ADMIN_TOKEN becomes the `bootstrap` admin key (a changed token replaces the
   * old secret at once); without it, the first start of an empty database creates an admin key
   * and returns its plaintext so the caller can show it once.
   */
  async bootstrap(adminToken: string | undefined): Promise<string | null> {
    return this.db.transaction(async (tx) => {
      await this.keys.lockBootstrap(tx);
      const meta = { actor: SYSTEM_ACTOR, requestId: null };
      if (adminToken) {
        const existing = await this.keys.findLiveByName(tx, 'bootstrap');
        const hash = hashSecret(adminToken);
        if (!existing) {
          await this.createIn(tx, 'bootstrap', [Scope.Admin], meta, adminToken);
          return null;
        }
        const now = this.clock.now();
        const live = await this.keys.findByLookup(tx, lookupOf(hash), now);
        if (!live.some((c) => c.keyId === existing.id && sameHash(c.secretHash, hash))) {
          await this.keys.expireSecrets(tx, existing.id, now);
          await this.keys.insertSecret(tx, existing.id, lookupOf(hash), hash, now);
        }
        return null;
      }
      if ((await this.keys.countLive(tx)) > 0) return null;
      const issued = await this.createIn(tx, 'bootstrap', [Scope.Admin], meta);
      return issued.key;
    });
  }
}
