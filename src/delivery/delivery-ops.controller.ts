import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../auth/api-key.service.js';
import { Meta, RequireScope } from '../auth/auth.decorators.js';
import { Scope } from '../auth/auth.types.js';
import { ApiZodBody } from '../common/openapi.js';
import { parseOrThrow } from '../common/zod-validation.js';
import { pauseBodySchema } from './delivery-pause.dto.js';
import type { PauseState } from './delivery-pause.repository.js';
import { DeliveryPauseService } from './delivery-pause.service.js';

@ApiTags('deliveries')
@Controller('api/v1/ops/deliveries')
export class DeliveryOpsController {
  constructor(private readonly pauses: DeliveryPauseService) {}

  @Get()
  @RequireScope(Scope.DeliveriesRead)
  status(): Promise<PauseState> {
    return this.pauses.status();
  }

  @Post('pause')
  @HttpCode(200)
  @RequireScope(Scope.DeliveriesWrite)
  @ApiZodBody(pauseBodySchema, 'Why sending stops (at least 20 characters; audited)')
  pause(@Body() body: unknown, @Meta() meta: RequestMeta): Promise<PauseState> {
    return this.pauses.pause(parseOrThrow(pauseBodySchema, body ?? {}).reason, meta);
  }

  @Post('resume')
  @HttpCode(200)
  @RequireScope(Scope.DeliveriesWrite)
  @ApiZodBody(pauseBodySchema, 'Why sending resumes (at least 20 characters; audited)')
  resume(@Body() body: unknown, @Meta() meta: RequestMeta): Promise<PauseState> {
    return this.pauses.resume(parseOrThrow(pauseBodySchema, body ?? {}).reason, meta);
  }
}
