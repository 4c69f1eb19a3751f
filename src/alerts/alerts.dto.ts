import { z } from 'zod';
import { AppError, ErrorCode } from '../common/app-error.js';
import { AlertStatus } from './alert.types.js';
import { type Matcher, MatcherParseError, parseMatchers } from './matchers.js';

/** For the OpenAPI document: Alertmanager's postable alert (validation is alert by alert, in alert-ingest.parser.ts). */
export const postableAlertSchema = z.object({
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
});
export const postableAlertsSchema = z.array(postableAlertSchema);

export const webhookPayloadSchema = z.object({
  version: z.string().optional(),
  status: z.string().optional(),
  receiver: z.string().optional(),
  alerts: z.array(postableAlertSchema.extend({ status: z.enum(['firing', 'resolved']).optional() })),
});

const silenceMatcherSchema = z.object({
  name: z.string().min(1),
  value: z.string(),
  isRegex: z.boolean(),
  isEqual: z.boolean().default(true),
});

const dateTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 date-time')
  .transform((s) => new Date(s));

/** Alertmanager's postable silence. */
export const postableSilenceSchema = z.object({
  id: z.string().optional(),
  matchers: z.array(silenceMatcherSchema),
  startsAt: dateTime,
  endsAt: dateTime,
  createdBy: z.string().min(1, 'createdBy is required'),
  comment: z.string().min(1, 'comment is required'),
});

export const routesTestSchema = z.object({
  labels: z.record(z.string(), z.string()),
});

const boolParam = (def: boolean) =>
  z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? def : v === 'true'));

const stringList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

export const v2AlertsQuerySchema = z.object({
  filter: stringList,
  active: boolParam(true),
  silenced: boolParam(true),
  inhibited: boolParam(true),
  unprocessed: boolParam(true),
  receiver: z.string().optional(),
});

export const v1AlertsQuerySchema = z.object({
  status: z.enum([AlertStatus.Firing, AlertStatus.Resolved]).optional(),
  filter: stringList,
  limit: z.coerce.number().int().min(1).max(500, 'limit must be at most 500').default(50),
  cursor: z.string().optional(),
});

export const pageOnlySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500, 'limit must be at most 500').default(50),
  cursor: z.string().optional(),
});

/** Each `filter` value is one or more matchers (`{a="b",c=~"d"}` or `a="b"`). */
export function parseFilters(filters: readonly string[]): Matcher[] {
  const out: Matcher[] = [];
  filters.forEach((f, i) => {
    try {
      out.push(...parseMatchers(f));
    } catch (err) {
      const message = err instanceof MatcherParseError ? err.message : String(err);
      throw new AppError(ErrorCode.Validation, `filter is not a valid matcher: ${message}`, [{ path: filters.length > 1 ? `filter[${i}]` : 'filter', message }]);
    }
  });
  return out;
}
