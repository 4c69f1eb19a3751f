import type { EntityManager } from 'typeorm';

/**
 * An open transaction (or, for reads, a plain connection) handed from services to
 * repositories. Services never look inside; repositories run SQL on it.
 */
export interface Tx {
  readonly manager: EntityManager;
}

export function sql<T = Record<string, unknown>>(tx: Tx, text: string, params: unknown[] = []): Promise<T[]> {
  return tx.manager.query(text, params) as Promise<T[]>;
}

/** Runs one statement and returns the affected row count (UPDATE/DELETE … without RETURNING). */
export async function execute(tx: Tx, text: string, params: unknown[] = []): Promise<number> {
  const result = (await tx.manager.query(text, params)) as unknown;
  // The postgres driver returns [rows, affectedCount] for UPDATE/DELETE.
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}

/** Rows of an UPDATE/DELETE … RETURNING (TypeORM's postgres driver answers `[rows, affected]` for those). */
export async function updateReturning<T>(tx: Tx, text: string, params: unknown[]): Promise<T[]> {
  const result = (await tx.manager.query(text, params)) as unknown[];
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
