/**
 * Go's double-quoted string forms, as Alertmanager prints and reads them: `strconv.Quote`
 * (used for label sets in group keys and for matcher names/values that need quoting) and
 * `strconv.Unquote` (used by the UTF-8 matcher parser for quoted names and values).
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const HEX = '0123456789abcdef';

function hex(n: number, width: number): string {
  let out = '';
  for (let i = width - 1; i >= 0; i--) out += HEX[(n >> (i * 4)) & 0xf];
  return out;
}

/** Whether Go's `strconv.IsPrint` holds for a code point (letters, marks, numbers, punctuation, symbols, ASCII space). */
export function isGoPrint(codePoint: number): boolean {
  if (codePoint === 0x20) return true;
  if (codePoint < 0x20 || codePoint === 0x7f) return false;
  if (codePoint < 0x7f) return true;
  return PRINTABLE.test(String.fromCodePoint(codePoint));
}

/** `strconv.Quote`: a double-quoted Go string literal with Go's escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp === 0x22 || cp === 0x5c) {
      out += '\\' + ch;
      continue;
    }
    if (isGoPrint(cp)) {
      out += ch;
      continue;
    }
    switch (cp) {
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x0b: out += '\\v'; break;
      default:
        if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
        else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'; // lone surrogate: not valid UTF-8
        else if (cp < 0x10000) out += '\\u' + hex(cp, 4);
        else out += '\\U' + hex(cp, 8);
    }
  }
  return out + '"';
}

/** `strconv.Unquote` for a double-quoted literal; returns null where Go reports a syntax error. */
export function goUnquote(quoted: string): string | null {
  if (quoted.length < 2 || quoted[0] !== '"' || quoted[quoted.length - 1] !== '"') return null;
  const body = quoted.slice(1, -1);
  if (body.includes('\n')) return null;
  if (!body.includes('\\')) return body.includes('"') ? null : body;
  const bytes: number[] = [];
  const pushString = (str: string): void => {
    for (const b of Buffer.from(str, 'utf8')) bytes.push(b);
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '"') return null;
    if (c !== '\\') {
      const cp = body.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      pushString(ch);
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return null;
    i += 2;
    switch (e) {
      case 'a': bytes.push(0x07); break;
      case 'b': bytes.push(0x08); break;
      case 'f': bytes.push(0x0c); break;
      case 'n': bytes.push(0x0a); break;
      case 'r': bytes.push(0x0d); break;
      case 't': bytes.push(0x09); break;
      case 'v': bytes.push(0x0b); break;
      case '\\': bytes.push(0x5c); break;
      case '"': bytes.push(0x22); break;
      case 'x': {
        const h = body.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) return null;
        bytes.push(parseInt(h, 16));
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        const width = e === 'u' ? 4 : 8;
        const h = body.slice(i, i + width);
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(h)) return null;
        const cp = parseInt(h, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
        pushString(String.fromCodePoint(cp));
        i += width;
        break;
      }
      default: {
        if (e >= '0' && e <= '7') {
          const o = body.slice(i - 1, i + 2);
          if (!/^[0-7]{3}$/.test(o)) return null;
          const v = parseInt(o, 8);
          if (v > 255) return null;
          bytes.push(v);
          i += 2;
          break;
        }
        return null;
      }
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Compares two strings by Unicode code point, which is the byte order Go uses for UTF-8 strings. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // A surrogate (>= 0xd800 < 0xe000) encodes a code point above 0xffff, larger than any BMP unit.
      const xs = x >= 0xd800 && x < 0xe000;
      const ys = y >= 0xd800 && y < 0xe000;
      if (xs !== ys) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : 1;
}
