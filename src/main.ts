import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { AppModule } from './app.module.js';
import { ApiKeyService } from './auth/api-key.service.js';
import { type Clock, SystemClock } from './common/clock.js';
import { createDataSource } from './db/data-source.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded-postgres.js';
import { migrate } from './db/migrator.js';
import { installHttpHooks, requestIdFor } from './ops/http-hooks.js';
import { HttpMetrics } from './ops/http.metrics.js';
import { createLogger } from './ops/logger.js';
import { createRegistry } from './ops/metrics.registry.js';
import { ConfigStore } from './config/config.store.js';
import { formatIssue } from './config/config.errors.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  logger?: Logger;
  /** Listen on this port (0 = a free one); default PORT or 8080. */
  port?: number;
  host?: string;
  /** The running config; by default loaded from TOCSIN_CONFIG / ./tocsin.yml / the built-in default. */
  config?: ConfigStore;
  /** Where the one-time admin key line goes (standard error by default). */
  announceKey?: (line: string) => void;
}

export interface RunningTocsin {
  app: NestFastifyApplication;
  url: string;
  logger: Logger;
  /** Stops taking work, closes the server and the database; resolves when everything is down. */
  close(): Promise<void>;
}

export async function startTocsin(options: StartOptions = {}): Promise<RunningTocsin> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  const clock = options.clock ?? new SystemClock();

  // The config first: an invalid file stops the start before anything else happens.
  const config = options.config ?? openConfig(env, logger);

  let embedded: EmbeddedDatabase | null = null;
  let url = env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres(logger, env);
    url = embedded.url;
  }
  const dataSource = createDataSource(url, Number(env.TOCSIN_DB_POOL ?? 10));
  try {
    await dataSource.initialize();
  } catch (err) {
    await embedded?.stop();
    throw new Error(`Tocsin cannot reach the database named by DATABASE_URL (${(err as Error).message}); check that the server runs and the URL is right.`);
  }
  await migrate(dataSource, logger);

  const registry: Registry = createRegistry();
  const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => requestIdFor(req.headers['x-request-id']),
    requestIdHeader: false,
    trustProxy: false,
    // During shutdown, requests already on open connections are served, not refused with 503.
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ dataSource, logger, registry, clock, config, instanceId, env }),
    adapter,
    { bufferLogs: true },
  );
  app.useLogger(app.get(PinoNestLogger));
  installHttpHooks(app.getHttpAdapter().getInstance(), app.get(HttpMetrics), logger);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tocsin')
      .setDescription('Alert routing and durable notification delivery. Alertmanager-compatible API under /api/v2.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  app.getHttpAdapter().get('/api/docs/openapi.json', (_req: unknown, reply: { send: (d: unknown) => void }) => reply.send(document));

  const keyLine = await app.get(ApiKeyService).bootstrap(env.TOCSIN_ADMIN_TOKEN || undefined);
  if (keyLine) (options.announceKey ?? ((l: string) => process.stderr.write(l + '\n')))(`Tocsin admin key (shown once): ${keyLine}`);

  const port = options.port ?? Number(env.PORT ?? 8080);
  const host = options.host ?? env.HOST ?? '0.0.0.0';
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const base = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${boundPort}`;
  logger.info({ url: base }, 'Tocsin is listening');

  let closing: Promise<void> | null = null;
  return {
    app,
    url: base,
    logger,
    close: () => {
      closing ??= (async () => {
        await app.close();
        await dataSource.destroy().catch(() => undefined);
        await embedded?.stop().catch(() => undefined);
      })();
      return closing;
    },
  };
}

function openConfig(env: NodeJS.ProcessEnv, logger: Logger): ConfigStore {
  const store = ConfigStore.open({ env, cwd: process.cwd() });
  if (store.usedDefault) {
    logger.warn('no configuration file (TOCSIN_CONFIG unset and no ./tocsin.yml): every alert goes to the log channel; start from tocsin.example.yml');
  } else {
    logger.info({ configFile: store.path }, 'configuration loaded');
  }
  for (const warning of store.warnings) logger.warn({ configWarning: formatIssue(warning) }, 'configuration warning');
  return store;
}

/** `npm start`: run until SIGTERM/SIGINT, then shut down within 30 s and exit 0. */
export async function main(): Promise<void> {
  const logger = createLogger();
  let running: RunningTocsin;
  try {
    running = await startTocsin({ logger });
  } catch (err) {
    logger.fatal({ err: { message: (err as Error).message } }, 'Tocsin could not start');
    process.stderr.write(`tocsin: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.warn('shutdown took 25 s; exiting anyway');
      process.exit(0);
    }, 25_000);
    force.unref();
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while shutting down');
        process.exit(0);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
