import { Channel } from '../../channels/channel-adapter.js';
import { bucketsFor, withMargin } from './rate-limiter.js';

describe('withMargin', () => {
  it('should lower the capacity by the refill of the margin', () => {
    expect(withMargin(20, 0.1, 150)).toBeCloseTo(5);
  });

  it('should keep the full capacity without a margin', () => {
    expect(withMargin(20, 0.1, 0)).toBe(20);
  });

  it('should never go below one token', () => {
    expect(withMargin(20, 0.1, 1000)).toBe(1);
    expect(withMargin(1, 0.001, 150)).toBe(1);
  });

  it('should treat a negative margin as none', () => {
    expect(withMargin(5, 1, -10)).toBe(5);
  });
});

describe('bucketsFor', () => {
  const limit = { rate: 100, per: '1s', per_ms: 1000, burst: 20 };

  it('should apply the margin to the target bucket and the global bucket', () => {
    const [target, global] = bucketsFor(Channel.Webhook, 'https://x', limit, { rate: 50, per: '1s', per_ms: 1000 }, 100);
    expect(target.key).toBe('target:webhook:https://x');
    expect(target.burst).toBeCloseTo(10);
    expect(global.key).toBe('global:webhook');
    expect(global.burst).toBeCloseTo(45);
  });

  it('should use the configured burst without a margin', () => {
    expect(bucketsFor(Channel.Webhook, 'https://x', limit, null).map((b) => b.burst)).toEqual([20]);
  });

  it('should give no bucket for a limit of zero', () => {
    expect(bucketsFor(Channel.Webhook, 'https://x', { rate: 0, per: '1s', per_ms: 1000, burst: 0 }, null, 150)).toEqual([]);
  });
});
