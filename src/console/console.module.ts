import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../common/tokens.js';
import { cacheControlFor, consoleDistDir } from './console-files.js';

/** The page holds no data (every call it makes needs a key), so it is served without one. */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Serves the built web console (console/dist) at `/console`: the files as they are, and
 * index.html for every other path below it (client-side routes). Registered on Fastify directly,
 * outside Nest's router, so no route guard applies: the page is public, the API it calls is not.
 */
@Module({})
export class ConsoleModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const root = consoleDistDir();
    if (!existsSync(join(root, 'index.html'))) {
      this.logger.warn({ root }, 'the web console is not built; run `npm run build` to serve it at /console');
      const notBuilt = (_req: unknown, reply: FastifyReply): void => {
        void reply.status(503).type('text/plain; charset=utf-8').send('The Tocsin console is not built: run `npm run build` and restart.\n');
      };
      fastify.get('/console', notBuilt);
      fastify.get('/console/*', notBuilt);
      return;
    }
    await fastify.register(fastifyStatic, {
      root,
      prefix: '/console/',
      // One route per built file (read at start); anything else under /console/ is a client route.
      wildcard: false,
      index: false,
      cacheControl: false,
      setHeaders: (reply, filePath) => {
        void reply.headers({ ...SECURITY_HEADERS, 'cache-control': cacheControlFor(filePath) });
      },
    });
    const page = (_req: unknown, reply: FastifyReply): FastifyReply => reply.sendFile('index.html');
    fastify.get('/console', page);
    fastify.get('/console/*', page);
  }
}
