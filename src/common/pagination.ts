import { z } from 'zod';
import { AppError, ErrorCode } from './app-error.js';

/** Newest-first pages: `limit` (default 50, max 500) and an opaque cursor holding the last id seen. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500, 'limit must be at most 500').default(50),
  cursor: z.string().optional(),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ before: lastId }), 'utf8').toString('base64url');
}

/** The largest PostgreSQL bigint: a cursor id past it would make the query fail (a 500). */
const MAX_BIGINT = 9223372036854775807n;

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { before?: unknown };
    if (typeof parsed.before === 'string' && /^\d{1,19}$/.test(parsed.before) && BigInt(parsed.before) <= MAX_BIGINT) return parsed.before;
  } catch {
    // fall through
  }
  throw new AppError(ErrorCode.Validation, 'cursor is not one this API issued; start again without it', [
    { path: 'cursor', message: 'not a cursor returned by this API' },
  ]);
}

/** Given `limit + 1` rows fetched newest first, the page and the cursor to the next one. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit && items.length > 0 ? encodeCursor(items[items.length - 1].id) : null;
  return { items, nextCursor };
}
