import { APP_ENV } from '../common/tokens.js';
import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { AlertsModule } from '../alerts/alerts.module.js';
import { ROOT_LOGGER } from '../common/tokens.js';
import { Database } from '../db/database.service.js';
import { HeartbeatController } from './heartbeat.controller.js';
import { HeartbeatRepository } from './heartbeat.repository.js';
import { HeartbeatService } from './heartbeat.service.js';
import { SLO_LEADER } from './leader.js';
import { AdvisoryLeaderLock, SLO_LEADER_LOCK } from './leader-lock.js';
import { SelfAlertPublisher } from './self-alert.publisher.js';
import { SloEvaluator } from './slo-evaluator.js';
import { SloFallbackService } from './slo-fallback.service.js';
import { SloController } from './slo.controller.js';
import { SloMetrics } from './slo.metrics.js';
import { SloFallbackRepository, SloRepository } from './slo.repository.js';
import { SloService } from './slo.service.js';
import { SLO_SETTINGS, sloSettingsFrom } from './slo.settings.js';

/** Connection string of the running data source, for the leader lock's own session. */
function connectionStringOf(db: Database): string {
  const url = (db.source.options as { url?: string }).url;
  if (!url) throw new Error('the SLO leader lock needs the data source URL');
  return url;
}

/** Heartbeats, SLO evaluation on one replica, self-alerts through Tocsin's own routing, their fallback, SLO gauges. */
@Module({
  imports: [AlertsModule],
  controllers: [HeartbeatController, SloController],
  providers: [
    { provide: SLO_SETTINGS, useFactory: (env: NodeJS.ProcessEnv) => sloSettingsFrom(env), inject: [APP_ENV] },
    {
      provide: SLO_LEADER,
      inject: [Database, ROOT_LOGGER],
      useFactory: (db: Database, logger: Logger) => new AdvisoryLeaderLock(connectionStringOf(db), SLO_LEADER_LOCK, logger),
    },
    HeartbeatRepository,
    HeartbeatService,
    SloRepository,
    SloFallbackRepository,
    SloService,
    SelfAlertPublisher,
    SloFallbackService,
    SloEvaluator,
    SloMetrics,
  ],
  exports: [HeartbeatService, SloService, SloFallbackService, SloEvaluator],
})
export class SloModule {}
