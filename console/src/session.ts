import { Scope, type WhoAmI } from './api/types';

const STORAGE_KEY = 'tocsin.console.apiKey';

/** The key lives in sessionStorage only: gone when the tab closes. */
export function storedKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}
export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}
export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** Whether a key with these scopes may call a route needing `needed` (admin has every scope). */
export function allows(who: WhoAmI | null, needed: Scope): boolean {
  if (!who) return false;
  return who.scopes.includes(Scope.Admin) || who.scopes.includes(needed);
}
