import { z } from 'zod';
import { Scope } from './auth.types.js';

export const createKeySchema = z.strictObject({
  name: z.string().trim().min(1, 'name is required').max(100, 'name is at most 100 characters'),
  scopes: z.array(z.enum(Scope)).min(1, 'give at least one scope'),
});

export const keyIdSchema = z.string().regex(/^\d{1,18}$/, 'key ids are numbers');
