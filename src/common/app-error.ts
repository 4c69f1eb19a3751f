/** Every failure a client can cause or see has a code; the problem-details filter maps it to HTTP. */
export enum ErrorCode {
  Validation = 'validation',
  MalformedBody = 'malformed-body',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not-found',
  Conflict = 'conflict',
  PayloadTooLarge = 'payload-too-large',
  Unavailable = 'unavailable',
  ConfigInvalid = 'config-invalid',
}

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    /** Extra members for the problem body (e.g. `alerts` kept from a mixed batch). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface ProblemShape {
  status: number;
  title: string;
}

export function problemFor(code: ErrorCode): ProblemShape {
  switch (code) {
    case ErrorCode.Validation:
      return { status: 400, title: 'Invalid request' };
    case ErrorCode.MalformedBody:
      return { status: 400, title: 'Malformed request body' };
    case ErrorCode.Unauthenticated:
      return { status: 401, title: 'Missing or invalid API key' };
    case ErrorCode.Forbidden:
      return { status: 403, title: 'API key lacks the required scope' };
    case ErrorCode.NotFound:
      return { status: 404, title: 'Not found' };
    case ErrorCode.Conflict:
      return { status: 409, title: 'Conflict' };
    case ErrorCode.PayloadTooLarge:
      return { status: 413, title: 'Request body too large' };
    case ErrorCode.Unavailable:
      return { status: 503, title: 'Service unavailable' };
    case ErrorCode.ConfigInvalid:
      return { status: 400, title: 'Configuration invalid' };
  }
}

export const notFound = (what: string): AppError => new AppError(ErrorCode.NotFound, `${what} does not exist`);
export const conflict = (detail: string): AppError => new AppError(ErrorCode.Conflict, detail);
export const invalid = (errors: FieldError[], detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ')): AppError =>
  new AppError(ErrorCode.Validation, detail, errors);
