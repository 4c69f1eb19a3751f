import { AppError } from './app-error.js';
import { decodeCursor, encodeCursor, toPage } from './pagination.js';

const cursorOf = (before: unknown): string => Buffer.from(JSON.stringify({ before }), 'utf8').toString('base64url');

describe('decodeCursor', () => {
  it('should read back the id of a cursor it issued', () => {
    expect(decodeCursor(encodeCursor('42'))).toBe('42');
    expect(decodeCursor(encodeCursor('9223372036854775807'))).toBe('9223372036854775807');
  });

  it('should treat a missing or empty cursor as the first page', () => {
    expect(decodeCursor(undefined)).toBeNull();
    expect(decodeCursor('')).toBeNull();
  });

  it('should refuse with a 400 a cursor whose id is past PostgreSQL bigint (it would fail the query)', () => {
    for (const before of ['9223372036854775808', '99999999999999999999', '1'.repeat(400)]) {
      expect(() => decodeCursor(cursorOf(before))).toThrow(AppError);
    }
  });

  it('should refuse garbage', () => {
    for (const c of ['zzz', cursorOf(12), cursorOf('-1'), cursorOf('1e3')]) expect(() => decodeCursor(c)).toThrow(AppError);
  });
});

describe('toPage', () => {
  it('should give a cursor only when there is a further row', () => {
    expect(toPage([{ id: '3' }, { id: '2' }, { id: '1' }], 2)).toEqual({ items: [{ id: '3' }, { id: '2' }], nextCursor: encodeCursor('2') });
    expect(toPage([{ id: '3' }, { id: '2' }], 2).nextCursor).toBeNull();
  });
});
