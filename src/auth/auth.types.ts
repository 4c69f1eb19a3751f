export enum Scope {
  AlertsWrite = 'alerts:write',
  AlertsRead = 'alerts:read',
  SilencesWrite = 'silences:write',
  DeliveriesRead = 'deliveries:read',
  DeliveriesWrite = 'deliveries:write',
  AuditRead = 'audit:read',
  Admin = 'admin',
}

export const ALL_SCOPES: readonly Scope[] = Object.values(Scope);

/** Who made a request: a key, or Tocsin itself (SIGHUP reload, loopback reload, bootstrap). */
export interface Actor {
  keyId: string | null;
  keyName: string;
  scopes: readonly Scope[];
}

export const SYSTEM_ACTOR: Actor = { keyId: null, keyName: 'system', scopes: [Scope.Admin] };

export function hasScope(actor: Actor, needed: Scope): boolean {
  return actor.scopes.includes(Scope.Admin) || actor.scopes.includes(needed);
}

export interface ApiKeyView {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The reply to create and rotate: the only moment the plaintext exists. */
export interface IssuedKey {
  id: string;
  name: string;
  scopes: Scope[];
  key: string;
  createdAt: string;
}
