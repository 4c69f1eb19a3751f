import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { ApiKeyController } from './auth/api-key.controller.js';
import { ApiKeyRepository } from './auth/api-key.repository.js';
import { ApiKeyService } from './auth/api-key.service.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuditMetrics } from './audit/audit.metrics.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditWriter } from './audit/audit.writer.js';
import { CLOCK, type Clock } from './common/clock.js';
import { ProblemFilter } from './common/problem.filter.js';
import { Database } from './db/database.service.js';
import { HealthController } from './ops/health.controller.js';
import { HttpMetrics } from './ops/http.metrics.js';
import { METRICS_REGISTRY } from './ops/metrics.registry.js';

export interface AppDeps {
  dataSource: DataSource;
  logger: Logger;
  registry: Registry;
  clock: Clock;
}

/** The application, assembled from what `bootstrap` prepared (database, logger, metrics, clock). */
@Module({})
export class AppModule {
  static forRoot(deps: AppDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger: deps.logger,
            autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
            customProps: (req) => ({ requestId: (req as { id?: unknown }).id }),
            quietReqLogger: true,
          },
        }),
      ],
      controllers: [HealthController, ApiKeyController],
      providers: [
        { provide: DataSource, useValue: deps.dataSource },
        { provide: METRICS_REGISTRY, useValue: deps.registry },
        { provide: CLOCK, useValue: deps.clock },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        Database,
        HttpMetrics,
        ApiKeyRepository,
        ApiKeyService,
        AuditRepository,
        AuditMetrics,
        AuditWriter,
      ],
    };
  }
}
