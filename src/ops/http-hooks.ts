import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { HttpMetrics } from './http.metrics.js';

const REQUEST_ID_RE = /^[\w.:@/+=-]{1,128}$/;

/** An incoming X-Request-Id is kept when it is a sane token, else a new one is made. */
export function requestIdFor(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID_RE.test(value) ? value : randomUUID();
}

/** Echoes the request id and records the HTTP metrics by route template. */
export function installHttpHooks(fastify: FastifyInstance, metrics: HttpMetrics): void {
  fastify.addHook('onRequest', async (request, reply) => {
    (request.raw as { id?: string }).id = String(request.id);
    void reply.header('x-request-id', String(request.id));
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url;
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}
