import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

/** The read side of the audit log (the writer and repository come from CoreModule). */
@Module({
  controllers: [AuditController],
  providers: [AuditService],
})
export class AuditModule {}
