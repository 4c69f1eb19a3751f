import { z } from 'zod';

/** `PUT /api/v1/heartbeats/{name}`: a beat at `at` (default now) with free-text `state`. */
export const beatBodySchema = z
  .object({
    at: z.iso.datetime({ offset: true, error: 'an RFC 3339 time such as 2026-01-01T00:00:00Z' }).nullish(),
    state: z.string().max(200, { error: 'at most 200 characters' }).nullish(),
  })
  .strict();
