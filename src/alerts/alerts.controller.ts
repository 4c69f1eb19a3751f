import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../auth/api-key.service.js';
import { Meta, RequireScope } from '../auth/auth.decorators.js';
import { Scope } from '../auth/auth.types.js';
import { AppError, ErrorCode, invalid } from '../common/app-error.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { ApiZodBody } from '../common/openapi.js';
import { parseOrThrow } from '../common/zod-validation.js';
import { Inject } from '@nestjs/common';
import { MalformedBatchError, parseWebhookPayload } from './alert-ingest.parser.js';
import { AlertIngestService } from './alert-ingest.service.js';
import { IngestSource } from './alert.types.js';
import { parseBatch } from './alertmanager-api.controller.js';
import { AlertsQueryService } from './alerts-query.service.js';
import { pageOnlySchema, parseFilters, postableAlertsSchema, postableSilenceSchema, routesTestSchema, v1AlertsQuerySchema, webhookPayloadSchema } from './alerts.dto.js';
import { SilencesService } from './silences.service.js';

/** Tocsin's own alert routes: ingest with delivery ids, the Alertmanager webhook, lists, route test, silences. */
@ApiTags('alerts')
@Controller('api/v1')
export class AlertsController {
  constructor(
    private readonly ingest: AlertIngestService,
    private readonly query: AlertsQueryService,
    private readonly silences: SilencesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('alerts')
  @HttpCode(202)
  @RequireScope(Scope.AlertsWrite)
  @ApiZodBody(postableAlertsSchema)
  async postAlerts(@Body() body: unknown) {
    const batch = parseBatch(body);
    const alerts = await this.ingest.ingest(batch.alerts, IngestSource.ApiV1);
    if (batch.errors.length > 0) throw new AppError(ErrorCode.Validation, rejectedDetail(batch.total - batch.alerts.length, batch.total), batch.errors, { alerts });
    return { alerts };
  }

  @Post('webhooks/alertmanager')
  @HttpCode(202)
  @RequireScope(Scope.AlertsWrite)
  @ApiZodBody(webhookPayloadSchema)
  async webhook(@Body() body: unknown) {
    let batch;
    try {
      batch = parseWebhookPayload(body, this.clock.now());
    } catch (err) {
      if (err instanceof MalformedBatchError) throw invalid([{ path: err.path, message: err.message }]);
      throw err;
    }
    const alerts = await this.ingest.ingest(batch.alerts, batch.source);
    if (batch.errors.length > 0) throw new AppError(ErrorCode.Validation, rejectedDetail(batch.total - batch.alerts.length, batch.total), batch.errors, { accepted: alerts.length });
    return { accepted: alerts.length };
  }

  @Get('alerts')
  @RequireScope(Scope.AlertsRead)
  list(@Query() q: unknown) {
    const query = parseOrThrow(v1AlertsQuerySchema, q);
    return this.query.list({ status: query.status ?? null, filter: parseFilters(query.filter), limit: query.limit, cursor: query.cursor });
  }

  @Post('routes/test')
  @HttpCode(200)
  @RequireScope(Scope.AlertsRead)
  @ApiZodBody(routesTestSchema)
  routesTest(@Body() body: unknown) {
    return this.query.routesTest(parseOrThrow(routesTestSchema, body).labels);
  }

  @Post('silences')
  @HttpCode(201)
  @RequireScope(Scope.SilencesWrite)
  @ApiZodBody(postableSilenceSchema)
  async createSilence(@Body() body: unknown, @Meta() meta: RequestMeta) {
    return { id: await this.silences.upsert(parseOrThrow(postableSilenceSchema, body), meta) };
  }

  @Delete('silences/:id')
  @HttpCode(204)
  @RequireScope(Scope.SilencesWrite)
  async expireSilence(@Param('id') id: string, @Meta() meta: RequestMeta): Promise<void> {
    await this.silences.expire(id, meta);
  }

  @Get('silences')
  @RequireScope(Scope.AlertsRead)
  async listSilences(@Query() q: unknown) {
    const { limit, cursor } = parseOrThrow(pageOnlySchema, q);
    const all = await this.silences.list();
    let start = 0;
    if (cursor) {
      const at = all.findIndex((s) => Buffer.from(s.id, 'utf8').toString('base64url') === cursor);
      if (at < 0) throw new AppError(ErrorCode.Validation, 'cursor is not one this API issued; start again without it', [{ path: 'cursor', message: 'not a cursor returned by this API' }]);
      start = at + 1;
    }
    const items = all.slice(start, start + limit);
    const more = all.length > start + limit;
    return { items, nextCursor: more ? Buffer.from(items[items.length - 1].id, 'utf8').toString('base64url') : null };
  }
}

function rejectedDetail(rejected: number, total: number): string {
  const alertWord = (n: number): string => (n === 1 ? 'alert' : 'alerts');
  return `${rejected} of ${total} ${alertWord(total)} rejected (the others were accepted); see errors`;
}
