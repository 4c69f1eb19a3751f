import { existsSync } from 'node:fs';
import { join } from 'node:path';
import send from '@fastify/send';
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../common/tokens.js';
import { cacheControlFor, consoleDistDir, fileRequestFor } from './console-files.js';

/** The page holds no data (every call it makes needs a key), so it is served without one. */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Serves the built web console (console/dist) at `/console`: its files as they are, and
 * index.html for every other path below it (client-side routes). Routes are added on Fastify
 * directly, outside Nest's router, so no guard applies: the page is public, the API is not.
 *
 * Files go out through `@fastify/send`, the engine of `@fastify/static`: the plugin itself
 * `require`s an ESM-only package (content-disposition), which the jest sandbox every test boots
 * this module in cannot load.
 */
@Module({})
export class ConsoleModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const root = consoleDistDir();
    const built = existsSync(join(root, 'index.html'));
    if (!built) this.logger.warn({ root }, 'the web console is not built; run `npm run build` to serve it at /console');
    const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      if (!built) return reply.status(503).type('text/plain; charset=utf-8').send('The Tocsin console is not built: run `npm run build` and restart.\n');
      const wanted = fileRequestFor(req.url);
      let result = await send(req.raw, wanted.file, { root, index: false, dotfiles: 'deny', cacheControl: false });
      if (result.statusCode === 404 && wanted.fallback) result = await send(req.raw, '/index.html', { root, index: false, cacheControl: false });
      const file = result.type === 'file' ? result.metadata.path : wanted.file;
      void reply.status(result.statusCode).headers({ ...result.headers, ...SECURITY_HEADERS, 'cache-control': cacheControlFor(file) });
      return reply.send(result.stream);
    };
    fastify.get('/console', handler);
    fastify.get('/console/*', handler);
  }
}
