import { RE2JS } from 're2js';
import { compareGoStrings, goQuote, goUnquote } from './go-strings.js';

/**
 * Label matchers with Alertmanager's semantics.
 *
 * - `=` / `!=` compare the label value as a string; `=~` / `!~` use RE2 (re2js), anchored as
 *   Alertmanager anchors them: `^(?:<re>)$`.
 * - A label the alert does not have matches as the empty string (`foo=""` and `foo!~".+"`
 *   match alerts without `foo`).
 * - Parsing accepts both of Alertmanager's syntaxes, as its default "fallback" mode does: the
 *   UTF-8 matcher syntax (`matchers/parse`: quoted or unquoted names and values, Go string
 *   escapes inside quotes) is tried first, then the classic syntax (`pkg/labels/parse.go`:
 *   `[a-zA-Z_:][a-zA-Z0-9_:]*` names, OpenMetrics escapes `\"`, `\n`, `\\`, tolerant of
 *   unquoted values with spaces).
 */
export enum MatchType {
  Equal = '=',
  NotEqual = '!=',
  Regexp = '=~',
  NotRegexp = '!~',
}

export type Labels = Readonly<Record<string, string>>;

export class MatcherParseError extends Error {
  override readonly name = 'MatcherParseError';
}

/** Alertmanager's numeric order of match types, used when sorting matchers. */
const TYPE_ORDER: Record<MatchType, number> = {
  [MatchType.Equal]: 0,
  [MatchType.NotEqual]: 1,
  [MatchType.Regexp]: 2,
  [MatchType.NotRegexp]: 3,
};

/** Characters that force a quoted label name when a matcher is printed. */
const RESERVED_IN_NAME = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000{}!=~,\\"'`]/;

/** The value of a label, or '' when the alert does not carry it. */
export function labelValue(labels: Labels, name: string): string {
  return Object.prototype.hasOwnProperty.call(labels, name) ? labels[name] : '';
}

function openMetricsEscape(s: string): string {
  return s.replace(/[\\\n"]/g, (c) => (c === '\n' ? '\\n' : '\\' + c));
}

export class Matcher {
  private readonly re: RE2JS | null;

  /** Throws MatcherParseError when a regex matcher's value is not a valid RE2 expression. */
  constructor(
    readonly type: MatchType,
    readonly name: string,
    readonly value: string,
  ) {
    this.re = null;
    if (type === MatchType.Regexp || type === MatchType.NotRegexp) {
      try {
        this.re = RE2JS.compile(`^(?:${value})$`);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new MatcherParseError(`invalid regular expression "${value}" for label "${name}": ${reason}`);
      }
    }
  }

  /** Whether a single label value satisfies the matcher. */
  matchesValue(value: string): boolean {
    switch (this.type) {
      case MatchType.Equal:
        return value === this.value;
      case MatchType.NotEqual:
        return value !== this.value;
      case MatchType.Regexp:
        return (this.re as RE2JS).testExact(value);
      case MatchType.NotRegexp:
        return !(this.re as RE2JS).testExact(value);
    }
  }

  /** Whether a label set satisfies the matcher (a missing label counts as ''). */
  matches(labels: Labels): boolean {
    return this.matchesValue(labelValue(labels, this.name));
  }

  /** Alertmanager's `Matcher.String()`: `name="value"`, name quoted when it holds reserved characters. */
  toString(): string {
    if (RESERVED_IN_NAME.test(this.name)) return `${goQuote(this.name)}${this.type}${goQuote(this.value)}`;
    return `${this.name}${this.type}"${openMetricsEscape(this.value)}"`;
  }
}

/** Whether every matcher matches (an empty list matches everything), as `labels.Matchers.Matches`. */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  for (const m of matchers) if (!m.matches(labels)) return false;
  return true;
}

/** Alertmanager's matcher order: by name, then value, then type. Returns a new array. */
export function sortMatchers(matchers: readonly Matcher[]): Matcher[] {
  return [...matchers].sort((a, b) => {
    const byName = compareGoStrings(a.name, b.name);
    if (byName !== 0) return byName;
    const byValue = compareGoStrings(a.value, b.value);
    if (byValue !== 0) return byValue;
    return TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
  });
}

/** `labels.Matchers.String()`: `{a="b",c=~"d"}`. */
export function matchersToString(matchers: readonly Matcher[]): string {
  return `{${matchers.map((m) => m.toString()).join(',')}}`;
}

/** Matchers from the deprecated `match` / `match_re` maps: equality first, then regexes, in key order. */
export function matchersFromLegacy(match?: Record<string, string> | null, matchRe?: Record<string, string> | null): Matcher[] {
  const out: Matcher[] = [];
  for (const [name, value] of Object.entries(match ?? {})) out.push(new Matcher(MatchType.Equal, name, value));
  for (const [name, value] of Object.entries(matchRe ?? {})) out.push(new Matcher(MatchType.Regexp, name, value));
  return out;
}

// ---------------------------------------------------------------------------------------------
// UTF-8 matcher syntax (Alertmanager `matchers/parse`).

enum TokenKind {
  OpenBrace,
  CloseBrace,
  Comma,
  Operator,
  Quoted,
  Unquoted,
  Eof,
}

interface Token {
  kind: TokenKind;
  text: string;
  column: number;
}

/** A parse failure inside one syntax; turned into MatcherParseError by the public functions. */
class SyntaxFailure extends Error {}

const OPERATOR_HINT = 'an operator (=, !=, =~, !~)';

/** Go's `unicode.IsSpace`. */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

function isReservedRune(ch: string): boolean {
  return GO_SPACE.test(ch) || '{}!=~,"\'`'.includes(ch);
}

function tokenize(input: string): Token[] {
  const chars = Array.from(input);
  const tokens: Token[] = [];
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    const column = i;
    if (c === '{' || c === '}' || c === ',') {
      tokens.push({ kind: c === '{' ? TokenKind.OpenBrace : c === '}' ? TokenKind.CloseBrace : TokenKind.Comma, text: c, column });
      i++;
    } else if (c === '=' || c === '!') {
      const next = chars[i + 1];
      if (c === '!') {
        if (next !== '=' && next !== '~') {
          throw new SyntaxFailure(next === undefined ? `unexpected end of input after "!", expected "=" or "~"` : `unexpected "${next}" after "!" at column ${i + 1}, expected "=" or "~"`);
        }
        tokens.push({ kind: TokenKind.Operator, text: c + next, column });
        i += 2;
      } else if (next === '~') {
        tokens.push({ kind: TokenKind.Operator, text: '=~', column });
        i += 2;
      } else {
        tokens.push({ kind: TokenKind.Operator, text: '=', column });
        i++;
      }
    } else if (c === '"') {
      let j = i + 1;
      let escaped = false;
      for (; j < chars.length; j++) {
        if (escaped) escaped = false;
        else if (chars[j] === '\\') escaped = true;
        else if (chars[j] === '"') break;
      }
      if (j >= chars.length) throw new SyntaxFailure(`${chars.slice(i).join('')}: missing closing double quote`);
      tokens.push({ kind: TokenKind.Quoted, text: chars.slice(i, j + 1).join(''), column });
      i = j + 1;
    } else if (GO_SPACE.test(c)) {
      i++;
    } else if (!isReservedRune(c)) {
      let j = i;
      while (j < chars.length && !isReservedRune(chars[j])) j++;
      tokens.push({ kind: TokenKind.Unquoted, text: chars.slice(i, j).join(''), column });
      i = j;
    } else {
      throw new SyntaxFailure(`unexpected "${c}" at column ${i}`);
    }
  }
  tokens.push({ kind: TokenKind.Eof, text: '', column: chars.length });
  return tokens;
}

function describe(tok: Token): string {
  return tok.kind === TokenKind.Eof ? 'end of input' : `"${tok.text}" at column ${tok.column}`;
}

function tokenString(tok: Token, what: string): string {
  if (tok.kind === TokenKind.Unquoted) return tok.text;
  const value = goUnquote(tok.text);
  if (value === null) throw new SyntaxFailure(`${tok.text}: invalid quoted ${what}`);
  return value;
}

function parseUtf8(input: string): Matcher[] {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = (): Token => tokens[pos];
  const next = (): Token => tokens[pos++];
  const out: Matcher[] = [];

  const openBrace = peek().kind === TokenKind.OpenBrace;
  if (openBrace) pos++;
  const closeOrEnd = (): void => {
    const t = next();
    if (openBrace) {
      if (t.kind !== TokenKind.CloseBrace) throw new SyntaxFailure(`expected a closing brace, found ${describe(t)}`);
      const end = next();
      if (end.kind !== TokenKind.Eof) throw new SyntaxFailure(`expected end of input, found ${describe(end)}`);
    } else if (t.kind === TokenKind.CloseBrace) {
      throw new SyntaxFailure(`unexpected "}" at column ${t.column} without an opening brace`);
    } else if (t.kind !== TokenKind.Eof) {
      throw new SyntaxFailure(`expected end of input, found ${describe(t)}`);
    }
  };

  if (peek().kind === TokenKind.Eof || peek().kind === TokenKind.CloseBrace) {
    closeOrEnd();
    return out;
  }
  for (;;) {
    const nameTok = next();
    if (nameTok.kind !== TokenKind.Quoted && nameTok.kind !== TokenKind.Unquoted) {
      throw new SyntaxFailure(`expected a label name, found ${describe(nameTok)}`);
    }
    const name = tokenString(nameTok, 'label name');
    const opTok = next();
    if (opTok.kind !== TokenKind.Operator) throw new SyntaxFailure(`expected ${OPERATOR_HINT} after "${nameTok.text}", found ${describe(opTok)}`);
    const valueTok = next();
    if (valueTok.kind !== TokenKind.Quoted && valueTok.kind !== TokenKind.Unquoted) {
      throw new SyntaxFailure(`expected a label value after "${nameTok.text}${opTok.text}", found ${describe(valueTok)}`);
    }
    const value = tokenString(valueTok, 'label value');
    out.push(new Matcher(opTok.text as MatchType, name, value));

    const after = peek();
    if (after.kind === TokenKind.Comma) {
      pos++;
      const t = peek().kind;
      if (t === TokenKind.Eof || t === TokenKind.CloseBrace) {
        closeOrEnd();
        return out;
      }
      if (t !== TokenKind.Quoted && t !== TokenKind.Unquoted) {
        throw new SyntaxFailure(`expected a matcher or closing brace after comma, found ${describe(peek())}`);
      }
      continue;
    }
    if (after.kind === TokenKind.Eof || after.kind === TokenKind.CloseBrace) {
      closeOrEnd();
      return out;
    }
    throw new SyntaxFailure(`expected a comma or closing brace, found ${describe(after)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Classic syntax (Alertmanager `pkg/labels/parse.go`). Go's `\s` is ASCII whitespace only.

const CLASSIC_RE = /^[\t\n\f\r ]*([a-zA-Z_:][a-zA-Z0-9_:]*)[\t\n\f\r ]*(=~|=|!=|!~)[\t\n\f\r ]*([\s\S]*?)[\t\n\f\r ]*$/;

function parseClassicOne(input: string): Matcher {
  const m = CLASSIC_RE.exec(input);
  if (!m) throw new SyntaxFailure('bad matcher format');
  let raw = m[3];
  let expectTrailingQuote = false;
  if (raw.startsWith('"')) {
    raw = raw.slice(1);
    expectTrailingQuote = true;
  }
  let value = '';
  let escaped = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (escaped) {
      escaped = false;
      if (c === 'n') value += '\n';
      else if (c === '"' || c === '\\') value += c;
      else value += '\\' + c;
      continue;
    }
    if (c === '\\') {
      if (i < raw.length - 1) escaped = true;
      else value += '\\';
    } else if (c === '"') {
      if (!expectTrailingQuote || i < raw.length - 1) throw new SyntaxFailure(`value contains an unescaped double quote: ${m[3]}`);
      expectTrailingQuote = false;
    } else {
      value += c;
    }
  }
  if (expectTrailingQuote) throw new SyntaxFailure(`value contains an unescaped double quote: ${m[3]}`);
  return new Matcher(m[2] as MatchType, m[1], value);
}

function parseClassicList(input: string): Matcher[] {
  let s = input.startsWith('{') ? input.slice(1) : input;
  if (s.endsWith('}')) s = s.slice(0, -1);
  const tokens: string[] = [];
  let token = '';
  let insideQuotes = false;
  let escaped = false;
  for (const r of s) {
    if (r === ',') {
      if (!insideQuotes) {
        tokens.push(token);
        token = '';
        continue;
      }
    } else if (r === '"') {
      if (!escaped) insideQuotes = !insideQuotes;
      else escaped = false;
    } else if (r === '\\') {
      escaped = !escaped;
    } else {
      escaped = false;
    }
    token += r;
  }
  const last = token.trim();
  if (last !== '') tokens.push(last);
  return tokens.map(parseClassicOne);
}

// ---------------------------------------------------------------------------------------------

function failure(input: string, err: unknown): MatcherParseError {
  if (err instanceof MatcherParseError) return new MatcherParseError(`invalid matcher "${input}": ${err.message}`);
  const reason = err instanceof Error ? err.message : String(err);
  return new MatcherParseError(`invalid matcher "${input}": ${reason}`);
}

function withFallback<T>(input: string, utf8: () => T, classic: () => T): T {
  try {
    return utf8();
  } catch (utf8Err) {
    try {
      return classic();
    } catch (classicErr) {
      // A bad regex is the same complaint in both syntaxes and the more useful one to show.
      throw failure(input, classicErr instanceof MatcherParseError ? classicErr : utf8Err);
    }
  }
}

/** One matcher, e.g. `severity="critical"`, `service=~"api|web"`, `"ünïcode name"!=x`. Throws MatcherParseError. */
export function parseMatcher(input: string): Matcher {
  if (input.trim() === '') throw new MatcherParseError(`invalid matcher "${input}": expected a label name, found end of input`);
  if (input.startsWith('{') || input.endsWith('}')) {
    throw new MatcherParseError(`invalid matcher "${input}": a single matcher cannot start or end with a brace`);
  }
  return withFallback(
    input,
    () => {
      const ms = parseUtf8(input);
      if (ms.length !== 1) throw new SyntaxFailure(`expected 1 matcher, found ${ms.length}`);
      return ms[0];
    },
    () => parseClassicOne(input),
  );
}

/**
 * A comma-separated list of matchers, braces optional: `{a="b", c=~"d.*"}`, `a=b,c!=d`, `{}`.
 * The form used by silences, amtool, API filters and each line of a route's `matchers`.
 */
export function parseMatchers(input: string): Matcher[] {
  return withFallback(input, () => parseUtf8(input), () => parseClassicList(input));
}
