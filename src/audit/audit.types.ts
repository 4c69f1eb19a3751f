import type { Actor } from '../auth/auth.types.js';

export enum AuditAction {
  KeyCreate = 'key.create',
  KeyRotate = 'key.rotate',
  KeyRevoke = 'key.revoke',
  DeliveryReplay = 'delivery.replay',
  DeliveryBulkReplay = 'delivery.bulk_replay',
  DeliveryDiscard = 'delivery.discard',
  DeliveryPause = 'delivery.pause',
  DeliveryResume = 'delivery.resume',
  SilenceCreate = 'silence.create',
  SilenceExpire = 'silence.expire',
  ConfigReload = 'config.reload',
}

export interface AuditInput {
  actor: Actor;
  action: AuditAction;
  target: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { keyId: string | null; keyName: string };
  action: string;
  target: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

/** The chain starts from this value. */
export const GENESIS_HASH = '0'.repeat(64);

/** Filters of the audit list and export; `actor` is a key name or a key id. */
export interface AuditFilter {
  from?: Date;
  to?: Date;
  action?: AuditAction;
  actor?: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadId: string | null;
}
