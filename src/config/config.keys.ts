import type { z } from 'zod';
import type { IssueCollector, PathSegment } from './config.errors.js';
import { SUPPORTED_INTEGRATIONS, UNSUPPORTED_INTEGRATIONS } from './config.schema.js';

/** Levenshtein distance (insert, delete, substitute), small strings only. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = above;
    }
  }
  return prev[b.length];
}

/** The closest known key within distance 2 (or 3 for long keys), if any. */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const limit = unknown.length > 12 ? 3 : 2;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(unknown.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

interface ZodDefLike {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
}

function defOf(schema: z.ZodType): ZodDefLike {
  return (schema as unknown as { _zod: { def: ZodDefLike } })._zod.def;
}

/** Strips optional/nullable/default/pipe/lazy wrappers down to the structural schema. */
function core(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(s);
    if (['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional'].includes(def.type) && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = defOf(def.in).type === 'transform' && def.out ? def.out : def.in;
    else if (def.type === 'lazy' && def.getter) s = def.getter();
    else break;
  }
  return s;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reports every key of `value` that `schema` does not know, with its path and a suggestion. */
export function findUnknownKeys(schema: z.ZodType, value: unknown, path: PathSegment[], issues: IssueCollector): void {
  const s = core(schema);
  const def = defOf(s);
  if (def.type === 'object' && def.shape && isPlainObject(value)) {
    const known = Object.keys(def.shape);
    for (const [key, child] of Object.entries(value)) {
      const childSchema = def.shape[key];
      if (childSchema === undefined) {
        reportUnknown(key, known, path, issues);
        continue;
      }
      findUnknownKeys(childSchema, child, [...path, key], issues);
    }
  } else if (def.type === 'array' && def.element && Array.isArray(value)) {
    value.forEach((item, i) => findUnknownKeys(def.element as z.ZodType, item, [...path, i], issues));
  } else if (def.type === 'record' && def.valueType && isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) findUnknownKeys(def.valueType, child, [...path, key], issues);
  } else if (def.type === 'union' && def.options) {
    const structural = def.options.map(core).find((o) => {
      const t = defOf(o).type;
      return (t === 'object' && isPlainObject(value)) || (t === 'array' && Array.isArray(value));
    });
    if (structural) findUnknownKeys(structural, value, path, issues);
  }
}

function reportUnknown(key: string, known: string[], path: PathSegment[], issues: IssueCollector): void {
  const isReceiver = path.length === 2 && path[0] === 'receivers' && typeof path[1] === 'number';
  if (isReceiver && (UNSUPPORTED_INTEGRATIONS as readonly string[]).includes(key)) {
    issues.error(
      [...path, key],
      `Tocsin does not support the Alertmanager integration "${key}"; supported integrations: ${SUPPORTED_INTEGRATIONS.join(', ')}`,
    );
    return;
  }
  if (isReceiver && key.endsWith('_configs')) {
    issues.error([...path, key], `unknown integration "${key}"; supported integrations: ${SUPPORTED_INTEGRATIONS.join(', ')}`);
    return;
  }
  const suggestion = suggestKey(key, known);
  issues.error([...path, key], suggestion ? `unknown key; did you mean "${suggestion}"?` : `unknown key; known keys here: ${known.join(', ')}`);
}
