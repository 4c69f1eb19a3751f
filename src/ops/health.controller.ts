import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { Public } from '../auth/auth.decorators.js';
import { Database } from '../db/database.service.js';
import { pendingMigrations } from '../db/migrator.js';
import { METRICS_REGISTRY } from './metrics.registry.js';

@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly db: Database,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  @Get('healthz')
  healthz() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    const reasons: string[] = [];
    try {
      await this.db.source.query('SELECT 1');
      if (await pendingMigrations(this.db.source)) reasons.push('database migrations are pending; they are applied when Tocsin starts');
    } catch (err) {
      reasons.push(`the database does not answer: ${(err as Error).message}`);
    }
    if (reasons.length === 0) {
      void reply.status(200).send({ status: 'ready' });
      return;
    }
    void reply.status(503).send({ status: 'not ready', reasons });
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
