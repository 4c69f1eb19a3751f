import { hasScope, type Actor, Scope } from '../auth/auth.types.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export enum ReloadAccess {
  Allowed = 'allowed',
  /** From another host without a valid key: 401. */
  NeedsKey = 'needs-key',
  /** From another host with a key that lacks `admin`: 403. */
  NeedsAdmin = 'needs-admin',
}

/** `POST /-/reload`, as Alertmanager's: open on loopback; from elsewhere only with an admin key. */
export function reloadAccess(remoteAddress: string | undefined, actor: Actor | undefined): ReloadAccess {
  if (LOOPBACK.test(remoteAddress ?? '')) return ReloadAccess.Allowed;
  if (actor === undefined) return ReloadAccess.NeedsKey;
  return hasScope(actor, Scope.Admin) ? ReloadAccess.Allowed : ReloadAccess.NeedsAdmin;
}
