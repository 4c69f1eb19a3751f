import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../auth/api-key.service.js';
import { Meta, RequireScope } from '../auth/auth.decorators.js';
import { Scope } from '../auth/auth.types.js';
import { invalid } from '../common/app-error.js';
import { ApiZodBody } from '../common/openapi.js';
import { parseOrThrow } from '../common/zod-validation.js';
import { MalformedBatchError, parsePostableAlerts } from './alert-ingest.parser.js';
import { AlertIngestService } from './alert-ingest.service.js';
import { IngestSource } from './alert.types.js';
import { AlertsQueryService } from './alerts-query.service.js';
import { parseFilters, postableAlertsSchema, postableSilenceSchema, v2AlertsQuerySchema } from './alerts.dto.js';
import { SilencesService } from './silences.service.js';

/** Alertmanager's API v2, with its bodies and replies, for Prometheus, amtool and Grafana. */
@ApiTags('alertmanager-v2')
@Controller('api/v2')
export class AlertmanagerApiController {
  constructor(
    private readonly ingest: AlertIngestService,
    private readonly query: AlertsQueryService,
    private readonly silences: SilencesService,
  ) {}

  @Post('alerts')
  @HttpCode(200)
  @RequireScope(Scope.AlertsWrite)
  @ApiZodBody(postableAlertsSchema)
  async postAlerts(@Body() body: unknown): Promise<void> {
    const batch = parseBatch(body);
    await this.ingest.ingest(batch.alerts, IngestSource.ApiV2);
    if (batch.errors.length > 0) throw invalid(batch.errors);
  }

  @Get('alerts')
  @RequireScope(Scope.AlertsRead)
  getAlerts(@Query() q: unknown) {
    const query = parseOrThrow(v2AlertsQuerySchema, q);
    return this.query.v2Alerts({ ...query, filter: parseFilters(query.filter), receiver: query.receiver ?? null });
  }

  @Get('alerts/groups')
  @RequireScope(Scope.AlertsRead)
  getGroups(@Query() q: unknown) {
    const query = parseOrThrow(v2AlertsQuerySchema, q);
    return this.query.v2Groups({ ...query, filter: parseFilters(query.filter), receiver: query.receiver ?? null });
  }

  @Get('silences')
  @RequireScope(Scope.AlertsRead)
  async getSilences(@Query() q: unknown) {
    const query = parseOrThrow(v2AlertsQuerySchema.pick({ filter: true }), q);
    const filter = parseFilters(query.filter);
    const all = await this.silences.list();
    if (filter.length === 0) return all;
    // As Alertmanager: a silence passes when, for every filter matcher, one of its matchers has the same name and value.
    return all.filter((s) => filter.every((f) => s.matchers.some((m) => m.name === f.name && f.matchesValue(m.value))));
  }

  @Get('silence/:id')
  @RequireScope(Scope.AlertsRead)
  getSilence(@Param('id') id: string) {
    return this.silences.get(id);
  }

  @Post('silences')
  @HttpCode(200)
  @RequireScope(Scope.SilencesWrite)
  @ApiZodBody(postableSilenceSchema)
  async postSilence(@Body() body: unknown, @Meta() meta: RequestMeta) {
    const input = parseOrThrow(postableSilenceSchema, body);
    return { silenceID: await this.silences.upsert(input, meta) };
  }

  @Delete('silence/:id')
  @HttpCode(200)
  @RequireScope(Scope.SilencesWrite)
  async deleteSilence(@Param('id') id: string, @Meta() meta: RequestMeta): Promise<void> {
    await this.silences.expire(id, meta);
  }

  @Get('status')
  @RequireScope(Scope.AlertsRead)
  status() {
    return this.query.status();
  }

  @Get('receivers')
  @RequireScope(Scope.AlertsRead)
  receivers() {
    return this.query.receivers();
  }
}

/** A postable-alerts body, or a 400 with nothing kept when it is not an array. */
export function parseBatch(body: unknown): ReturnType<typeof parsePostableAlerts> {
  try {
    return parsePostableAlerts(body);
  } catch (err) {
    if (err instanceof MalformedBatchError) throw invalid([{ path: err.path, message: err.message }]);
    throw err;
  }
}
