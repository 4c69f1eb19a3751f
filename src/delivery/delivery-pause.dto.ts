import { z } from 'zod';

export const pauseBodySchema = z.strictObject({
  reason: z.string({ error: 'reason is required' }).trim().min(20, 'reason must be at least 20 characters'),
});

export type PauseBody = z.output<typeof pauseBodySchema>;
