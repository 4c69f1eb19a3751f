import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.decorators.js';
import { Scope } from '../auth/auth.types.js';
import { ApiZodBody } from '../common/openapi.js';
import { parseOrThrow } from '../common/zod-validation.js';
import { beatBodySchema } from './heartbeat.dto.js';
import { HeartbeatService } from './heartbeat.service.js';
import type { HeartbeatView } from './slo.types.js';

@ApiTags('slo')
@Controller('api/v1/heartbeats')
export class HeartbeatController {
  constructor(private readonly heartbeats: HeartbeatService) {}

  @Get()
  @RequireScope(Scope.AlertsRead)
  async list(): Promise<{ items: HeartbeatView[] }> {
    return { items: await this.heartbeats.list() };
  }

  @Put(':name')
  @HttpCode(200)
  @RequireScope(Scope.AlertsWrite)
  @ApiZodBody(beatBodySchema, 'A beat at `at` (RFC 3339, default now); `state` is free text recorded with it')
  beat(@Param('name') name: string, @Body() body: unknown): Promise<HeartbeatView> {
    const input = parseOrThrow(beatBodySchema, body ?? {});
    return this.heartbeats.beat(name, input.at ? new Date(input.at) : null, input.state ?? null);
  }
}
