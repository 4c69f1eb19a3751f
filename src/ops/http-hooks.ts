import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { HttpMetrics } from './http.metrics.js';

const REQUEST_ID_RE = /^[\w.:@/+=-]{1,128}$/;

/** An incoming X-Request-Id is kept when it is a sane token, else a new one is made. */
export function requestIdFor(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID_RE.test(value) ? value : randomUUID();
}

const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/** Echoes the request id, records the HTTP metrics by route template, and logs one line per request. */
export function installHttpHooks(fastify: FastifyInstance, metrics: HttpMetrics, log: Logger): void {
  fastify.addHook('onRequest', async (request, reply) => {
    (request.raw as { id?: string }).id = String(request.id);
    void reply.header('x-request-id', String(request.id));
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url;
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (route !== undefined && QUIET_ROUTES.has(route) && reply.statusCode < 400) return;
    // The path is logged without its query string: queries may carry cursors or filters, never needed here.
    log.info(
      {
        requestId: String(request.id),
        method: request.method,
        route: route ?? null,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        keyName: (request as { actor?: { keyName?: string } }).actor?.keyName,
      },
      'request completed',
    );
  });
}
