import fc from 'fast-check';
import { fingerprint } from './fingerprint.js';

/** A slow, obviously-correct FNV-1a 64 over the same byte stream, to check the fast one against. */
function referenceFingerprint(labels: Record<string, string>): string {
  const names = Object.keys(labels).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  let h = 0xcbf29ce484222325n;
  const add = (b: number): void => {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  };
  for (const n of names) {
    for (const b of Buffer.from(n, 'utf8')) add(b);
    add(0xff);
    for (const b of Buffer.from(labels[n], 'utf8')) add(b);
    add(0xff);
  }
  return h.toString(16).padStart(16, '0');
}

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/);
const labelSet = fc.dictionary(labelName, fc.string({ unit: 'grapheme', maxLength: 20 }), { maxKeys: 8 });

describe('fingerprint', () => {
  it('should be the FNV-1a offset basis for the empty label set', () => {
    expect(fingerprint({})).toBe('cbf29ce484222325');
  });

  it.each([
    [{ alertname: 'HighLatency' }],
    [{ alertname: 'DiskFull', instance: 'db-1:9100', severity: 'critical' }],
    [{ a: '' }],
    [{ 'unicode': 'żółć ☃ 😀 日本語' }],
  ])('should equal the reference FNV-1a 64 for %j', (labels) => {
    expect(fingerprint(labels)).toBe(referenceFingerprint(labels));
  });

  it('should always be 16 lowercase hex digits and equal the reference (property)', () => {
    fc.assert(
      fc.property(labelSet, (labels) => {
        const fp = fingerprint(labels);
        expect(fp).toMatch(/^[0-9a-f]{16}$/);
        expect(fp).toBe(referenceFingerprint(labels));
      }),
      { numRuns: 300 },
    );
  });

  it('should not depend on the order labels were inserted (property)', () => {
    fc.assert(
      fc.property(labelSet, fc.integer(), (labels, seed) => {
        const entries = Object.entries(labels);
        const shuffled = entries
          .map((e, i) => ({ e, k: Math.sin(seed + i) }))
          .sort((x, y) => x.k - y.k)
          .map((x) => x.e);
        expect(fingerprint(Object.fromEntries(shuffled))).toBe(fingerprint(labels));
      }),
    );
  });

  it('should tell apart label sets that only differ in where a separator falls', () => {
    expect(fingerprint({ ab: 'c' })).not.toBe(fingerprint({ a: 'bc' }));
  });
});
