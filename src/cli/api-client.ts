import type { CliIo } from './cli.io.js';

/** An RFC 9457 problem as the API sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  requestId?: string;
  errors?: Array<{ path: string; message: string }>;
}

/** The API answered with an error status. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly method: string,
    readonly path: string,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiCallError';
  }
}

/** The API could not be reached at all. */
export class ApiUnreachableError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`cannot reach Tocsin at ${url}: ${cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause)}`);
    this.name = 'ApiUnreachableError';
  }
}

/** TOCSIN_URL / TOCSIN_TOKEN missing or malformed: a usage problem (exit 2). */
export class CliSetupError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'CliSetupError';
  }
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** The one place the CLI talks HTTP: base URL and bearer token from TOCSIN_URL and TOCSIN_TOKEN. */
export class ApiClient {
  private readonly base: string;
  private readonly token: string;

  constructor(io: CliIo) {
    const url = io.env.TOCSIN_URL?.trim() || DEFAULT_URL;
    try {
      this.base = new URL(url).toString().replace(/\/+$/, '');
    } catch {
      throw new CliSetupError(`TOCSIN_URL is not a URL: ${url}`, 'set TOCSIN_URL to the service address, e.g. export TOCSIN_URL=https://tocsin.example.com');
    }
    const token = io.env.TOCSIN_TOKEN?.trim();
    if (!token) {
      throw new CliSetupError('TOCSIN_TOKEN is not set', 'export TOCSIN_TOKEN=<an API key> (an admin can make one with `tocsin keys create`)');
    }
    this.token = token;
  }

  get url(): string {
    return this.base;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** The raw response (for streamed bodies such as CSV); error statuses still throw. */
  async send(method: string, path: string, body?: unknown): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json, text/csv',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw new ApiUnreachableError(this.base, err);
    }
    if (res.status >= 400) {
      const text = await res.text();
      let problem: Problem = { status: res.status, title: res.statusText };
      try {
        problem = JSON.parse(text) as Problem;
      } catch {
        problem.detail = text.slice(0, 500);
      }
      throw new ApiCallError(res.status, problem, method, path);
    }
    return res;
  }
}

/** `?a=1&b=2` from the defined entries, or ''. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
