import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import { Scope } from '../auth/auth.types.js';
import type { Page } from '../common/pagination.js';
import { parseOrThrow } from '../common/zod-validation.js';
import { auditFilterSchema, auditListQuerySchema } from './audit.dto.js';
import { AuditService } from './audit.service.js';
import type { AuditEntry, VerifyResult } from './audit.types.js';

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequireScope(Scope.AuditRead)
  list(@Query() query: unknown): Promise<Page<AuditEntry>> {
    const { limit, cursor, ...filter } = parseOrThrow(auditListQuerySchema, query ?? {});
    return this.audit.list(filter, limit, cursor);
  }

  @Get('verify')
  @RequireScope(Scope.AuditRead)
  verify(): Promise<VerifyResult> {
    return this.audit.verify();
  }

  @Get('export.csv')
  @RequireScope(Scope.AuditRead)
  @ApiProduces('text/csv')
  async export(@Query() query: unknown, @Res() reply: FastifyReply): Promise<void> {
    const filter = parseOrThrow(auditFilterSchema, query ?? {});
    const out = await this.audit.export(filter);
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="tocsin-audit.csv"')
      .header('x-export-rows', String(out.rows));
    if (out.truncated) reply.header('x-export-truncated', 'true');
    await reply.send(out.stream);
  }
}
