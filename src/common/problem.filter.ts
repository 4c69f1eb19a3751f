import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorCode, problemFor } from './app-error.js';

/** Fastify's own error codes for bodies it could not take. */
const FASTIFY_BODY_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PayloadTooLarge,
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.MalformedBody,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.MalformedBody,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.MalformedBody,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.MalformedBody,
  FST_ERR_CTP_INVALID_TYPE: ErrorCode.MalformedBody,
};

/** Socket-level codes of a database server that is down, restarting or unreachable. */
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** SQLSTATEs of a server going away: admin/crash shutdown, cannot connect now, too many connections. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Messages node-postgres and its pool give for connections lost or never made (they carry no code). */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'Cannot use a pool after calling end',
  'the database system is starting up',
  'the database system is shutting down',
];

/**
 * True when `err` (or the driver error / cause it wraps) says the database cannot be reached
 * right now, as opposed to a query that failed: such requests may succeed when retried.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') {
    if (CONNECTION_ERROR_CODES.has(e.code) || UNAVAILABLE_SQLSTATES.has(e.code)) return true;
    // SQLSTATE class 08: connection exceptions.
    if (/^08[0-9A-Z]{3}$/.test(e.code)) return true;
  }
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.some((m) => (e.message as string).includes(m))) return true;
  // An AggregateError (e.g. ECONNREFUSED on both ::1 and 127.0.0.1) lists the causes.
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}

/**
 * SQLSTATEs of a value PostgreSQL cannot take: a NUL character in text (22021; 22P05 inside
 * jsonb) or a time out of its range (22008). Only a request's own query, path or cursor can
 * carry these into a query, so they are the client's 400, not a 500.
 */
const UNSTORABLE_VALUE_SQLSTATES = new Set(['22021', '22P05', '22008']);

function sqlStateOf(err: unknown): string | null {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : null;
}

/** What a 503 tells clients to wait before they send again. */
const RETRY_AFTER_SECONDS = 5;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId: string;
  errors: { path: string; message: string }[];
  [extra: string]: unknown;
}

/** Turns any thrown value into an RFC 9457 problem; unknown errors are logged and answered 500 without internals. */
export function toProblem(err: unknown, requestId: string, log: (e: unknown) => void): Problem {
  if (err instanceof AppError) {
    const shape = problemFor(err.code);
    return { type: `https://tocsin.dev/problems/${err.code}`, ...shape, detail: err.message, requestId, errors: err.errors, ...err.extra };
  }
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && code in FASTIFY_BODY_ERRORS) {
    const mapped = FASTIFY_BODY_ERRORS[code];
    const shape = problemFor(mapped);
    const detail = mapped === ErrorCode.PayloadTooLarge ? 'The request body is larger than 1 MiB; split the batch into smaller requests.' : (err as Error).message;
    return { type: `https://tocsin.dev/problems/${mapped}`, ...shape, detail, requestId, errors: [] };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 404) {
      const detail = 'No route matches this method and path; the API is described at /api/docs/openapi.json.';
      return { type: 'https://tocsin.dev/problems/not-found', title: 'Not found', status, detail, requestId, errors: [] };
    }
    if (status === 400) {
      // The framework's own 400s come from bodies it could not parse.
      const detail = `${err.message}. Send a JSON body with content-type application/json.`;
      return { type: `https://tocsin.dev/problems/${ErrorCode.MalformedBody}`, ...problemFor(ErrorCode.MalformedBody), detail, requestId, errors: [] };
    }
    if (status === 413) {
      return toProblem(new AppError(ErrorCode.PayloadTooLarge, 'The request body is larger than 1 MiB; split the batch into smaller requests.'), requestId, log);
    }
    return { type: 'about:blank', title: err.message, status, detail: err.message, requestId, errors: [] };
  }
  if (isDatabaseUnavailable(err)) {
    // 503 (not 500) so that Prometheus and Alertmanager send the batch again later.
    const detail = 'The database is unavailable, so this request may not have been stored; send it again shortly (sending an alert again is harmless).';
    return { type: `https://tocsin.dev/problems/${ErrorCode.Unavailable}`, ...problemFor(ErrorCode.Unavailable), detail, requestId, errors: [] };
  }
  const sqlState = sqlStateOf(err);
  if (sqlState !== null && UNSTORABLE_VALUE_SQLSTATES.has(sqlState)) {
    const detail =
      'A value in this request cannot be used: it holds a NUL character or a time out of range. Remove it (a cursor: start again without it).';
    return { type: `https://tocsin.dev/problems/${ErrorCode.Validation}`, ...problemFor(ErrorCode.Validation), detail, requestId, errors: [] };
  }
  const status = (err as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { type: 'about:blank', title: 'Bad request', status, detail: (err as Error).message, requestId, errors: [] };
  }
  log(err);
  return {
    type: 'https://tocsin.dev/problems/internal',
    title: 'Internal error',
    status: 500,
    detail: `Tocsin failed to handle this request; search the service log for requestId ${requestId}.`,
    requestId,
    errors: [],
  };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const problem = toProblem(exception, String(req.id), (e) =>
      this.logger.error({ err: e, requestId: req.id }, 'unhandled error'),
    );
    if (problem.status === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
  }
}
