/**
 * A recording HTTP server on 127.0.0.1 (random port) that provider doubles build on: every
 * request is recorded with its arrival time, and each test tells it how to answer (a fixed
 * reply, a queue of one-off replies, or hang until released).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** The body parsed as `application/x-www-form-urlencoded`. */
  form: URLSearchParams;
  receivedAt: Date;
}

export interface DoubleReply {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

/** A reply, or a function computing it from the request (e.g. echoing an id). */
export type ReplySpec = DoubleReply | ((req: RecordedRequest) => DoubleReply);

export interface HttpDouble {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Answer every following request with this reply (until told otherwise). */
  respondWith(reply: ReplySpec): void;
  /** Answer the next request with this reply, then go back to the standing reply. Calls queue. */
  respondOnce(reply: ReplySpec): void;
  /** Go back to the provider's success reply, clear queued replies and forget recorded requests. */
  reset(): void;
  /** Hold every following request without answering until `release()`. */
  hang(): void;
  /** Stop hanging and answer held requests with the standing reply. */
  release(): void;
  /** Requests received but not yet answered (held by `hang()`). */
  readonly pending: number;
  /** Resolves once at least `count` requests were recorded, or rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

function normaliseHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function writeReply(res: ServerResponse, reply: DoubleReply): void {
  if (res.writableEnded || res.destroyed) return;
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload = '';
  if (typeof reply.body === 'string') {
    payload = reply.body;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Starts a recording server; `success` is the provider's normal answer. */
export async function startHttpDouble(success: ReplySpec): Promise<HttpDouble> {
  let standing: ReplySpec = success;
  const queue: ReplySpec[] = [];
  let hanging = false;
  const held: Array<{ req: RecordedRequest; res: ServerResponse }> = [];
  const requests: RecordedRequest[] = [];
  const waiters: Array<() => void> = [];

  const resolve = (spec: ReplySpec, req: RecordedRequest): DoubleReply => (typeof spec === 'function' ? spec(req) : spec);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: normaliseHeaders(req),
        body,
        json: parseJson(body),
        form: new URLSearchParams(body),
        receivedAt: new Date(),
      };
      requests.push(recorded);
      for (const wake of waiters.splice(0)) wake();
      if (hanging) {
        held.push({ req: recorded, res });
        return;
      }
      writeReply(res, resolve(queue.shift() ?? standing, recorded));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;

  const release = (): void => {
    hanging = false;
    for (const { req, res } of held.splice(0)) writeReply(res, resolve(queue.shift() ?? standing, req));
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    respondWith(reply) {
      standing = reply;
    },
    respondOnce(reply) {
      queue.push(reply);
    },
    reset() {
      standing = success;
      queue.length = 0;
      requests.length = 0;
    },
    hang() {
      hanging = true;
    },
    release,
    get pending() {
      return held.length;
    },
    async waitForRequests(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} requests, got ${requests.length}`);
        await new Promise<void>((wake) => {
          const timer = setTimeout(wake, left);
          waiters.push(() => {
            clearTimeout(timer);
            wake();
          });
        });
      }
      return requests;
    },
    async close() {
      for (const { res } of held.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
