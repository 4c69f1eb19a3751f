import { SendOutcome } from './channel-adapter.js';
import {
  classifyHttpOutcome,
  failureReasonOf,
  FailureReason,
  isProviderSideFailure,
  parseRetryAfter,
  TransportFailure,
} from './classify.js';

const now = new Date('2026-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['1.5', 1500],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    ['-5', undefined],
    [undefined, undefined],
    [null, undefined],
  ])('should read %p as %p ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('classifyHttpOutcome', () => {
  it.each([
    [200, SendOutcome.Delivered],
    [201, SendOutcome.Delivered],
    [202, SendOutcome.Delivered],
    [204, SendOutcome.Delivered],
    [408, SendOutcome.Retry],
    [429, SendOutcome.Retry],
    [500, SendOutcome.Retry],
    [502, SendOutcome.Retry],
    [503, SendOutcome.Retry],
    [400, SendOutcome.Poison],
    [401, SendOutcome.Poison],
    [403, SendOutcome.Poison],
    [404, SendOutcome.Poison],
    [413, SendOutcome.Poison],
    [301, SendOutcome.Poison],
  ])('should classify HTTP %i as %s', (status, expected) => {
    expect(classifyHttpOutcome({ provider: 'p', status }, now).outcome).toBe(expected);
  });

  it.each([TransportFailure.Timeout, TransportFailure.Connection])('should retry on %s', (failure) => {
    const result = classifyHttpOutcome({ provider: 'p', transportFailure: failure, errorText: 'ECONNREFUSED' }, now);
    expect(result).toEqual({ provider: 'p', outcome: SendOutcome.Retry, error: 'ECONNREFUSED' });
  });

  it('should retry a 429 not before its Retry-After in seconds', () => {
    const result = classifyHttpOutcome({ provider: 'p', status: 429, retryAfter: '30', errorText: 'rate_limited' }, now);
    expect(result).toEqual({
      provider: 'p',
      providerStatus: 429,
      outcome: SendOutcome.Retry,
      retryAfterMs: 30_000,
      error: 'rate_limited (HTTP 429)',
    });
  });

  it('should retry a 429 not before its Retry-After as an HTTP-date', () => {
    const result = classifyHttpOutcome({ provider: 'p', status: 429, retryAfter: 'Thu, 01 Jan 2026 00:01:00 GMT' }, now);
    expect(result).toMatchObject({ outcome: SendOutcome.Retry, retryAfterMs: 60_000 });
  });

  it('should poison a 4xx with the provider text and code', () => {
    const result = classifyHttpOutcome(
      { provider: 'twilio', status: 400, providerCode: '21211', errorText: "The 'To' number 123 is not a valid phone number." },
      now,
    );
    expect(result).toEqual({
      provider: 'twilio',
      providerStatus: 400,
      providerCode: '21211',
      outcome: SendOutcome.Poison,
      error: "The 'To' number 123 is not a valid phone number. (HTTP 400)",
    });
  });

  it('should strip secrets from the error text', () => {
    const result = classifyHttpOutcome(
      { provider: 'p', status: 404, errorText: 'no route for https://hooks.example.com/services/SECRETPATH', secrets: ['SECRETPATH'] },
      now,
    );
    expect(result.outcome === SendOutcome.Delivered ? '' : result.error).not.toContain('SECRETPATH');
  });
});

describe('failureReasonOf', () => {
  it.each([
    [{ status: 401 }, FailureReason.Authentication, true],
    [{ status: 503 }, FailureReason.ServerError, true],
    [{ transportFailure: TransportFailure.Timeout }, FailureReason.Timeout, true],
    [{ status: 429 }, FailureReason.RateLimited, false],
    [{ status: 400 }, FailureReason.Rejected, false],
  ])('should read %p as %s', (outcome, reason, providerSide) => {
    expect(failureReasonOf(outcome)).toBe(reason);
    expect(isProviderSideFailure(failureReasonOf(outcome))).toBe(providerSide);
  });
});
