import { z } from 'zod';
import { pageQuerySchema } from '../common/pagination.js';
import { AuditAction } from './audit.types.js';

const time = z.iso.datetime({ offset: true, error: 'an RFC 3339 time such as 2026-01-01T00:00:00Z' }).transform((s) => new Date(s));

export const auditFilterSchema = z.object({
  from: time.optional(),
  to: time.optional(),
  action: z.enum(AuditAction).optional(),
  actor: z.string().trim().min(1).max(200).optional(),
});

export const auditListQuerySchema = pageQuerySchema.extend(auditFilterSchema.shape);
