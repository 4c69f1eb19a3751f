import { findMarkers, interpolateEnv } from './config.env.js';

describe('interpolateEnv', () => {
  it('should replace ${VAR} and ${VAR:-default}', () => {
    expect(interpolateEnv('a: ${A}\nb: ${B:-two}\nc: ${C:-}', { A: 'one' }).text).toBe('a: one\nb: two\nc: ');
  });

  it('should use the :- default for an empty value but the - default only for an unset one', () => {
    expect(interpolateEnv('${A:-d} ${A-d} ${B-d}', { A: '' }).text).toBe('d  d');
  });

  it('should keep $$ as a literal $', () => {
    expect(interpolateEnv('cost: $$5 ${A}', { A: 'x' }).text).toBe('cost: $5 x');
  });

  it('should leave a marker naming an unset variable', () => {
    const { text } = interpolateEnv('key: ${MISSING}', {});
    expect(findMarkers(text)).toEqual([{ kind: 'unset', name: 'MISSING' }]);
  });

  it('should mark a malformed reference', () => {
    const { text } = interpolateEnv('key: ${not valid}', {});
    expect(findMarkers(text)).toEqual([{ kind: 'invalid', name: 'not_valid' }]);
  });
});
