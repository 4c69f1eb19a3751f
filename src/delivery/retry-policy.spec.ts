import { SendOutcome } from '../channels/channel-adapter.js';
import { backoffCeilingMs, decideRetry, RetryVerdict, seededRandom, type RetrySettings } from './retry-policy.js';

const settings: RetrySettings = { maxAttempts: 5, initialBackoffMs: 1000, maxBackoffMs: 300_000 };

describe('retry policy', () => {
  describe('backoffCeilingMs', () => {
    it('should double from initial_backoff and stop at max_backoff', () => {
      expect([1, 2, 3, 4].map((n) => backoffCeilingMs(n, settings))).toEqual([1000, 2000, 4000, 8000]);
      expect(backoffCeilingMs(20, settings)).toBe(300_000);
      expect(backoffCeilingMs(5000, settings)).toBe(300_000);
    });
  });

  describe('decideRetry', () => {
    it('should draw every delay inside the full-jitter window of its attempt', () => {
      const random = seededRandom(42);
      for (let failures = 0; failures < 4; failures++) {
        for (let i = 0; i < 200; i++) {
          const d = decideRetry({ outcome: SendOutcome.Retry, previousFailures: failures }, settings, random);
          expect(d.verdict).toBe(RetryVerdict.Retry);
          if (d.verdict !== RetryVerdict.Retry) return;
          expect(d.retryCount).toBe(failures + 1);
          expect(d.delayMs).toBeGreaterThanOrEqual(0);
          expect(d.delayMs).toBeLessThan(backoffCeilingMs(failures + 1, settings));
        }
      }
    });

    it('should spread delays over the window rather than bunch them (full jitter)', () => {
      const random = seededRandom(7);
      const delays = Array.from({ length: 1000 }, () => {
        const d = decideRetry({ outcome: SendOutcome.Retry, previousFailures: 3 }, settings, random);
        return d.verdict === RetryVerdict.Retry ? d.delayMs : -1;
      });
      const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
      expect(mean).toBeGreaterThan(3500);
      expect(mean).toBeLessThan(4500);
      expect(Math.min(...delays)).toBeLessThan(400);
      expect(Math.max(...delays)).toBeGreaterThan(7600);
    });

    it('should be reproducible with the same seed', () => {
      const run = (seed: number) => {
        const random = seededRandom(seed);
        return [0, 1, 2].map((f) => decideRetry({ outcome: SendOutcome.Retry, previousFailures: f }, settings, random));
      };
      expect(run(1)).toEqual(run(1));
      expect(run(1)).not.toEqual(run(2));
    });

    it('should never retry before Retry-After, even when the jitter is smaller', () => {
      const zero = () => 0;
      const d = decideRetry({ outcome: SendOutcome.Retry, previousFailures: 0, retryAfterMs: 2000 }, settings, zero);
      expect(d).toEqual({ verdict: RetryVerdict.Retry, retryCount: 1, delayMs: 2000 });
    });

    it('should honour a Retry-After longer than max_backoff', () => {
      const d = decideRetry(
        { outcome: SendOutcome.Retry, previousFailures: 0, retryAfterMs: 600_000 },
        settings,
        () => 0.99,
      );
      expect(d).toMatchObject({ verdict: RetryVerdict.Retry, delayMs: 600_000 });
    });

    it('should keep the jittered delay when it is later than Retry-After', () => {
      const d = decideRetry({ outcome: SendOutcome.Retry, previousFailures: 3, retryAfterMs: 1000 }, settings, () => 0.5);
      expect(d).toMatchObject({ verdict: RetryVerdict.Retry, delayMs: 4000 });
    });

    it('should poison at once on a poison outcome, counting the attempt', () => {
      const d = decideRetry({ outcome: SendOutcome.Poison, previousFailures: 0 }, settings, Math.random);
      expect(d).toEqual({ verdict: RetryVerdict.Poison, retryCount: 1, exhausted: false });
    });

    it('should poison after max_attempts failures with retryCount = max_attempts', () => {
      const d = decideRetry({ outcome: SendOutcome.Retry, previousFailures: 4 }, settings, Math.random);
      expect(d).toEqual({ verdict: RetryVerdict.Poison, retryCount: 5, exhausted: true });
    });

    it('should still retry on the attempt before max_attempts', () => {
      const d = decideRetry({ outcome: SendOutcome.Retry, previousFailures: 3 }, settings, () => 0);
      expect(d.verdict).toBe(RetryVerdict.Retry);
    });
  });
});
