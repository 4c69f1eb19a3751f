import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../auth/api-key.service.js';
import { Meta, RequireScope } from '../auth/auth.decorators.js';
import { Scope } from '../auth/auth.types.js';
import { ApiZodBody } from '../common/openapi.js';
import type { Page } from '../common/pagination.js';
import { parseOrThrow } from '../common/zod-validation.js';
import { validDeliveryId } from './deliveries.controller.js';
import { bulkReplayBodySchema, discardBodySchema, poisonListQuerySchema, replayOneBodySchema } from './deliveries.dto.js';
import { DeliveriesService } from './deliveries.service.js';
import type { BulkReplayResult, DeliveryView } from './deliveries.types.js';
import { PoisonService } from './poison.service.js';

@ApiTags('poison')
@Controller('api/v1/poison')
export class PoisonController {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly poison: PoisonService,
  ) {}

  @Get()
  @RequireScope(Scope.DeliveriesRead)
  list(@Query() query: unknown): Promise<Page<DeliveryView>> {
    const q = parseOrThrow(poisonListQuerySchema, query ?? {});
    return this.deliveries.listPoison(q.channel, q.limit, q.cursor);
  }

  @Post('replay')
  @HttpCode(200)
  @RequireScope(Scope.DeliveriesWrite)
  @ApiZodBody(bulkReplayBodySchema, 'Which poison deliveries to replay (every selector given must match); dryRun lists them only')
  bulkReplay(@Body() body: unknown, @Meta() meta: RequestMeta): Promise<BulkReplayResult> {
    const { dryRun, reason, ...selector } = parseOrThrow(bulkReplayBodySchema, body ?? {});
    return this.poison.bulkReplay(selector, dryRun, reason, meta);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @RequireScope(Scope.DeliveriesWrite)
  @ApiZodBody(replayOneBodySchema, 'Why (optional; audited)')
  replay(@Param('id') id: string, @Body() body: unknown, @Meta() meta: RequestMeta): Promise<DeliveryView> {
    const input = parseOrThrow(replayOneBodySchema, body ?? {});
    return this.poison.replay(validDeliveryId(id), input.reason ?? null, meta);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @RequireScope(Scope.DeliveriesWrite)
  @ApiZodBody(discardBodySchema, 'Why this notification will never be sent (at least 20 characters; audited)')
  discard(@Param('id') id: string, @Body() body: unknown, @Meta() meta: RequestMeta): Promise<DeliveryView> {
    const input = parseOrThrow(discardBodySchema, body ?? {});
    return this.poison.discard(validDeliveryId(id), input.reason, meta);
  }
}
