import { AppError, ErrorCode } from './app-error.js';
import { isDatabaseUnavailable, toProblem } from './problem.filter.js';

/** Errors shaped as node-postgres and TypeORM produce them when the server is away. */
function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['an admin shutdown (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['a server starting or stopping (57P03)', withCode('the database system is shutting down', '57P03')],
    ['a connection exception (class 08)', withCode('connection failure', '08006')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a client that errored before', new Error('Client has encountered a connection error and is not queryable')],
    ['TypeORM wrapping a driver error', Object.assign(new Error('Query failed'), { driverError: withCode('terminating connection', '57P01') })],
    ['an error with the cause attached', new Error('transaction failed', { cause: withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED') })],
    ['an AggregateError of refusals', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '')],
  ])('should recognise %s', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['a plain error', new Error('boom')],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('should not treat %s as an outage', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('toProblem', () => {
  it('should answer a lost database with 503 unavailable and nothing internal', () => {
    const logged: unknown[] = [];
    const p = toProblem(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'req-1', (e) => logged.push(e));
    expect(p).toMatchObject({ status: 503, type: `https://tocsin.dev/problems/${ErrorCode.Unavailable}`, requestId: 'req-1', errors: [] });
    expect(p.detail).not.toContain('5432');
    expect(logged).toEqual([]);
  });

  it('should still answer other unknown errors 500 and log them', () => {
    const logged: unknown[] = [];
    expect(toProblem(withCode('duplicate key', '23505'), 'req-2', (e) => logged.push(e)).status).toBe(500);
    expect(logged).toHaveLength(1);
  });

  it.each([
    ['a NUL in a text parameter (22021)', Object.assign(new Error('Query failed'), { driverError: withCode('invalid byte sequence for encoding "UTF8": 0x00', '22021') })],
    ['a NUL in a jsonb parameter (22P05)', withCode('unsupported Unicode escape sequence', '22P05')],
    ['a time out of range (22008)', withCode('timestamp out of range', '22008')],
  ])('should answer %s from a request value with a 400 problem, not a 500', (_what, err) => {
    const logged: unknown[] = [];
    const p = toProblem(err, 'req-3', (e) => logged.push(e));
    expect(p).toMatchObject({ status: 400, type: `https://tocsin.dev/problems/${ErrorCode.Validation}`, requestId: 'req-3', errors: [] });
    expect(logged).toEqual([]);
  });

  it('should keep an AppError as it is', () => {
    expect(toProblem(new AppError(ErrorCode.Conflict, 'taken'), 'r', () => undefined).status).toBe(409);
  });
});
