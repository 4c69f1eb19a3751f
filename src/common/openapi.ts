import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';

/** Documents a zod request body in the OpenAPI document from the same schema that validates it. */
export const ApiZodBody = (schema: z.ZodType, description?: string): MethodDecorator =>
  ApiBody({ schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as unknown as Record<string, never>, description });
