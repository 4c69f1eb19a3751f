/**
 * Outbound HTTP for the adapters: node:http/https with keep-alive agents. (undici 8 needs
 * Node ≥ 22.19 and fails to load on our Node 20; global fetch costs ~5× the CPU per request.)
 * Every call takes an AbortSignal (the attempt timeout) and reports a failure before any
 * response as an HttpTransportError that says whether it was a timeout or a connection error.
 */
import { Agent as HttpAgent, request as httpRequestRaw, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequestRaw } from 'node:https';
import { TransportFailure } from '../classify.js';

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

/** The shared keep-alive agents, for SDKs that take an agent (Twilio's axios). */
export const keepAliveAgents = { http: httpAgent, https: httpsAgent } as const;

/** Closes the keep-alive sockets (shutdown). */
export function closeHttpAgents(): void {
  httpAgent.destroy();
  httpsAgent.destroy();
}

export interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Upper bound for the whole exchange, on top of `signal`. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
}

export class HttpTransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function combinedSignal(signal: AbortSignal | undefined, timeoutMs: number | undefined): AbortSignal | undefined {
  const signals: AbortSignal[] = [];
  if (signal) signals.push(signal);
  if (timeoutMs !== undefined && timeoutMs > 0) signals.push(AbortSignal.timeout(timeoutMs));
  if (signals.length === 0) return undefined;
  return signals.length === 1 ? signals[0] : AbortSignal.any(signals);
}

/** One request/response exchange; resolves for any HTTP status, rejects with HttpTransportError otherwise. */
export function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  const isHttps = url.protocol === 'https:';
  if (!isHttps && url.protocol !== 'http:') {
    return Promise.reject(new HttpTransportError(TransportFailure.Connection, `unsupported URL scheme ${url.protocol}`));
  }
  const signal = combinedSignal(req.signal, req.timeoutMs);
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));

  return new Promise<HttpResponse>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new HttpTransportError(TransportFailure.Timeout, 'request timed out before it was sent'));
      return;
    }
    let settled = false;
    const fail = (failure: TransportFailure, message: string): void => {
      if (settled) return;
      settled = true;
      reject(new HttpTransportError(failure, message));
    };
    const send = isHttps ? httpsRequestRaw : httpRequestRaw;
    const outgoing = send(
      url,
      { method: req.method ?? 'POST', headers, agent: isHttps ? httpsAgent : httpAgent },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: flattenHeaders(res.headers),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', (err: Error) => fail(TransportFailure.Connection, err.message));
      },
    );
    const onAbort = (): void => {
      fail(TransportFailure.Timeout, 'request timed out');
      outgoing.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      const code = err.code ? `${err.code}: ` : '';
      fail(TransportFailure.Connection, `${code}${err.message}`);
    });
    outgoing.end(req.body);
  });
}

/** The fetch shape the Slack SDKs accept (`fetch` option). */
export interface FetchLikeInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
  redirect?: 'error' | 'follow' | 'manual';
  signal?: AbortSignal;
}

/**
 * A fetch function over `httpRequest`, so an SDK that takes `fetch` uses our keep-alive agents,
 * honours the attempt's signal, and lets the adapter see the raw response (headers included).
 */
export function createFetch(options: {
  signal?: AbortSignal;
  timeoutMs?: number;
  onResponse?: (res: HttpResponse) => void;
}): (url: string | URL, init?: FetchLikeInit) => Promise<Response> {
  return async (url, init = {}) => {
    if (init.body !== undefined && typeof init.body !== 'string') {
      throw new HttpTransportError(TransportFailure.Connection, 'multipart bodies are not supported');
    }
    const signals = [options.signal, init.signal].filter((s): s is AbortSignal => s !== undefined);
    const res = await httpRequest({
      url: String(url),
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(signals.length > 0 ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    options.onResponse?.(res);
    const nullBody = res.status === 204 || res.status === 304 || res.status < 200;
    return new Response(nullBody ? null : res.body, {
      status: res.status < 200 ? 200 : res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}
