import { APP_ENV } from '../common/tokens.js';
import { Module } from '@nestjs/common';
import { AlertGroupsRepository } from './alert-groups.repository.js';
import { AlertIngestService } from './alert-ingest.service.js';
import { AlertmanagerApiController } from './alertmanager-api.controller.js';
import { AlertsQueryService } from './alerts-query.service.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsMetrics } from './alerts.metrics.js';
import { AlertsRepository } from './alerts.repository.js';
import { ALERTS_SETTINGS, alertsSettingsFrom } from './alerts.settings.js';
import { GroupFlushRepository } from './group-flush.repository.js';
import { GroupFlusher } from './group-flusher.js';
import { SilencesRepository } from './silences.repository.js';
import { SilencesService } from './silences.service.js';

/** Alert ingest, routing into persisted notification groups, the group flusher, silences and the Alertmanager API. */
@Module({
  controllers: [AlertmanagerApiController, AlertsController],
  providers: [
    { provide: ALERTS_SETTINGS, useFactory: (env: NodeJS.ProcessEnv) => alertsSettingsFrom(env), inject: [APP_ENV] },
    AlertsRepository,
    AlertGroupsRepository,
    GroupFlushRepository,
    SilencesRepository,
    AlertsMetrics,
    GroupFlusher,
    AlertIngestService,
    AlertsQueryService,
    SilencesService,
  ],
  exports: [GroupFlusher, AlertIngestService, AlertsQueryService],
})
export class AlertsModule {}
