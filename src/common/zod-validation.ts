import type { z } from 'zod';
import { invalid, type FieldError } from './app-error.js';

/** `[0].labels.severity`-style path of a zod issue; prefix for the body's position. */
export function issuePath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(body)' : out;
}

export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => ({ path: issuePath(issue.path, prefix), message: issue.message }));
}

/** Parses or throws a 400 problem naming each field at fault. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(fieldErrors(result.error, prefix));
  return result.data;
}
