import type { SilenceMatcher } from './api/types';

export type MatcherOp = '=' | '!=' | '=~' | '!~';
export const MATCHER_OPS: readonly MatcherOp[] = ['=', '!=', '=~', '!~'];

export function opOf(m: SilenceMatcher): MatcherOp {
  if (m.isRegex) return m.isEqual ? '=~' : '!~';
  return m.isEqual ? '=' : '!=';
}

export function matcherFromOp(name: string, op: MatcherOp, value: string): SilenceMatcher {
  return { name, value, isRegex: op === '=~' || op === '!~', isEqual: op === '=' || op === '=~' };
}

/** `{a="b",c=~"d"}`, the form `GET /api/v1/alerts?filter=` parses (quotes and backslashes escaped). */
export function matchersToFilter(matchers: readonly SilenceMatcher[]): string {
  const quote = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  return `{${matchers.map((m) => `${m.name}${opOf(m)}${quote(m.value)}`).join(',')}}`;
}

/** One matcher as people read it. */
export function matcherText(m: SilenceMatcher): string {
  return `${m.name}${opOf(m)}"${m.value}"`;
}
