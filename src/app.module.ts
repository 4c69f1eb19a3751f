import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { ApiKeyController } from './auth/api-key.controller.js';
import { ApiKeyRepository } from './auth/api-key.repository.js';
import { ApiKeyService } from './auth/api-key.service.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuditMetrics } from './audit/audit.metrics.js';
import { AuditModule } from './audit/audit.module.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditWriter } from './audit/audit.writer.js';
import { ConsoleModule } from './console/console.module.js';
import { CLOCK, type Clock } from './common/clock.js';
import { APP_ENV, INSTANCE_ID, ROOT_LOGGER } from './common/tokens.js';
import { ProblemFilter } from './common/problem.filter.js';
import { CONFIG_HOLDER } from './config/config.holder.js';
import type { ConfigStore } from './config/config.store.js';
import { Database } from './db/database.service.js';
import { DeliveriesModule } from './delivery/deliveries.module.js';
import { DeliveryOutboxRepository } from './delivery/delivery-outbox.repository.js';
import { DeliveryModule } from './delivery/delivery.module.js';
import { HealthController } from './ops/health.controller.js';
import { ConfigReloadController } from './config/config-reload.controller.js';
import { ConfigReloadService } from './config/config-reload.service.js';
import { HttpMetrics } from './ops/http.metrics.js';
import { RetentionModule } from './ops/retention.module.js';
import { METRICS_REGISTRY } from './ops/metrics.registry.js';
import { SloModule } from './slo/slo.module.js';

export interface AppDeps {
  dataSource: DataSource;
  logger: Logger;
  registry: Registry;
  clock: Clock;
  config: ConfigStore;
  /** Unique per process: the name workers claim rows under. */
  instanceId: string;
  env: NodeJS.ProcessEnv;
}


/**
 * What every domain module may inject without importing it: the database, clock, metrics
 * registry, running config, root logger, instance id, audit writer and the delivery outbox.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: AppDeps): DynamicModule {
    const providers = [
      { provide: DataSource, useValue: deps.dataSource },
      { provide: METRICS_REGISTRY, useValue: deps.registry },
      { provide: CLOCK, useValue: deps.clock },
      { provide: CONFIG_HOLDER, useValue: deps.config },
      { provide: ROOT_LOGGER, useValue: deps.logger },
      { provide: INSTANCE_ID, useValue: deps.instanceId },
      { provide: APP_ENV, useValue: deps.env },
      Database,
      AuditRepository,
      AuditMetrics,
      AuditWriter,
      DeliveryOutboxRepository,
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }
}

/** The application, assembled from what `startTocsin` prepared. Domain modules are listed in `imports`. */
@Module({})
export class AppModule {
  static forRoot(deps: AppDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(deps),
        LoggerModule.forRoot({
          pinoHttp: {
            logger: deps.logger,
            // Requests are logged by the Fastify hook in src/ops/http-hooks.ts.
            autoLogging: false,
          },
        }),
        AlertsModule,
        SloModule,
        DeliveryModule,
        DeliveriesModule,
        AuditModule,
        RetentionModule,
        ConsoleModule,
      ],
      controllers: [HealthController, ApiKeyController, ConfigReloadController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        HttpMetrics,
        ApiKeyRepository,
        ApiKeyService,
        ConfigReloadService,
      ],
    };
  }
}
