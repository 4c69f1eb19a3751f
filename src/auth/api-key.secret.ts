import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Keys look like `tocsin_<43 base64url chars>`: recognisable in a leaked-secret scan, 256 bits of entropy. */
export const KEY_PREFIX = 'tocsin_';

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashSecret(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A short, non-secret index into the secrets table (the first 64 bits of the hash). */
export function lookupOf(hash: Buffer): string {
  return hash.subarray(0, 8).toString('hex');
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
