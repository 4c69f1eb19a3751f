import { compareGoStrings } from './go-strings.js';
import type { Labels } from './matchers.js';

/**
 * The fingerprint Alertmanager and Prometheus give a label set (`model.LabelSet.Fingerprint()`):
 * FNV-1a 64 over, for each label in order of name, the UTF-8 bytes of the name, a 0xff byte,
 * the bytes of the value and another 0xff byte; printed as 16 lowercase hex digits. The empty
 * set hashes to the FNV offset basis.
 *
 * The 64-bit state is kept in two unsigned 32-bit halves: multiplying by the FNV prime
 * 2^40 + 0x1b3 is `h * 0x1b3 + (h << 40)`, and `h << 40` only moves the low half into the high.
 */
const SEPARATOR = 0xff;
const PRIME_LOW = 0x1b3;
const TWO_32 = 4294967296;

interface Hash {
  hi: number;
  lo: number;
}

function addByte(h: Hash, byte: number): void {
  const lo = (h.lo ^ byte) >>> 0;
  const product = lo * PRIME_LOW; // < 2^41: exact
  h.hi = (Math.imul(h.hi, PRIME_LOW) + Math.floor(product / TWO_32) + (lo << 8)) >>> 0;
  h.lo = product >>> 0;
}

/** Adds the UTF-8 encoding of `s` (a lone surrogate counts as U+FFFD, as Go's JSON decoder makes it). */
function addString(h: Hash, s: string): void {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      addByte(h, c);
      continue;
    }
    if (c < 0x800) {
      addByte(h, 0xc0 | (c >> 6));
      addByte(h, 0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        addByte(h, 0xf0 | (cp >> 18));
        addByte(h, 0x80 | ((cp >> 12) & 0x3f));
        addByte(h, 0x80 | ((cp >> 6) & 0x3f));
        addByte(h, 0x80 | (cp & 0x3f));
        continue;
      }
      c = 0xfffd;
    }
    addByte(h, 0xe0 | (c >> 12));
    addByte(h, 0x80 | ((c >> 6) & 0x3f));
    addByte(h, 0x80 | (c & 0x3f));
  }
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** Alertmanager's fingerprint of a label set: 16 lowercase hex digits. */
export function fingerprint(labels: Labels): string {
  const names = Object.keys(labels).sort(compareGoStrings);
  const h: Hash = { hi: 0xcbf29ce4, lo: 0x84222325 };
  for (const name of names) {
    addString(h, name);
    addByte(h, SEPARATOR);
    addString(h, labels[name]);
    addByte(h, SEPARATOR);
  }
  return hex8(h.hi) + hex8(h.lo);
}
