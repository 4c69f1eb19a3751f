import { z } from 'zod';
import { Channel } from '../channels/channel-adapter.js';
import { isDuration, parseDuration } from '../common/duration.js';
import { pageQuerySchema } from '../common/pagination.js';
import { DeliveryStatus } from './delivery.types.js';

const time = z.iso.datetime({ offset: true, error: 'an RFC 3339 time such as 2026-01-01T00:00:00Z' }).transform((s) => new Date(s));
const idString = z.string().regex(/^\d{1,18}$/, 'delivery ids are numbers');
/** The shortest reason an operator may give for a change that loses or re-sends notifications. */
export const MIN_REASON_LENGTH = 20;
const reason = z
  .string({ error: 'reason is required' })
  .trim()
  .min(MIN_REASON_LENGTH, `reason must be at least ${MIN_REASON_LENGTH} characters`)
  .max(2000, 'reason is at most 2000 characters');

export const deliveryListQuerySchema = pageQuerySchema.extend({
  status: z.enum(DeliveryStatus).optional(),
  channel: z.enum(Channel).optional(),
  receiver: z.string().min(1).optional(),
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'a fingerprint is 16 hex digits').optional(),
  from: time.optional(),
  to: time.optional(),
});

export const poisonListQuerySchema = pageQuerySchema.extend({
  channel: z.enum(Channel).optional(),
});

export const statsQuerySchema = z.object({
  window: z
    .string()
    .default('1h')
    .refine(isDuration, 'a Prometheus duration such as 5m, 1h, 1d')
    .refine((w) => !isDuration(w) || (parseDuration(w) > 0 && parseDuration(w) <= 31 * 86_400_000), 'between 1ms and 31d'),
});

export const deliveryIdSchema = idString;

export const replayOneBodySchema = z.strictObject({
  reason: z.string().trim().max(2000, 'reason is at most 2000 characters').optional(),
});

export const bulkReplayBodySchema = z
  .strictObject({
    ids: z.array(idString).min(1, 'give at least one id, or leave ids out').max(10_000, 'at most 10000 ids').optional(),
    channel: z.enum(Channel).optional(),
    failedAfter: time.optional(),
    failedBefore: time.optional(),
    dryRun: z.boolean().default(false),
    reason,
  })
  .refine((b) => b.ids !== undefined || b.channel !== undefined || b.failedAfter !== undefined || b.failedBefore !== undefined, {
    message: 'give at least one selector: ids, channel, failedAfter or failedBefore',
    path: ['ids'],
  });

export const discardBodySchema = z.strictObject({ reason });
