import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('should read compound Prometheus durations', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('1d')).toBe(86_400_000);
  });

  it('should reject a duration without a unit', () => {
    expect(() => parseDuration('10')).toThrow(/not a duration/);
  });

  it('should round-trip through formatDuration', () => {
    expect(formatDuration(parseDuration('1h30m'))).toBe('1h30m');
  });
});
