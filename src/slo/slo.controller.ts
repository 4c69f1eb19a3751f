import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.decorators.js';
import { Scope } from '../auth/auth.types.js';
import { SloService } from './slo.service.js';
import type { SloView } from './slo.types.js';

@ApiTags('slo')
@Controller('api/v1/slo')
export class SloController {
  constructor(private readonly slos: SloService) {}

  @Get()
  @RequireScope(Scope.AlertsRead)
  async list(): Promise<{ items: SloView[] }> {
    return { items: await this.slos.list() };
  }
}
