/**
 * The one classification of provider outcomes (SPEC §4): every adapter maps what happened on
 * the wire to `delivered`, `retry` (not before `Retry-After`) or `poison` here, so the rules
 * live in a single place.
 */
import { type SendResult, SendOutcome } from './channel-adapter.js';
import { redactSecrets } from './redact.js';

/** Why an attempt did not deliver; email failover uses it to tell provider-side failures apart. */
export enum FailureReason {
  Timeout = 'timeout',
  Connection = 'connection',
  ServerError = 'server_error',
  RateLimited = 'rate_limited',
  Authentication = 'authentication',
  Rejected = 'rejected',
}

/** A failure before any response arrived. */
export enum TransportFailure {
  Timeout = 'timeout',
  Connection = 'connection',
}

export interface HttpOutcome {
  provider: string;
  /** HTTP status of the response; absent when no response arrived. */
  status?: number;
  /** Set when no response arrived. */
  transportFailure?: TransportFailure;
  /** Raw `Retry-After` header value. */
  retryAfter?: string | null;
  /** The provider's own error text (body message, error code, transport error message). */
  errorText?: string;
  providerCode?: string;
  /** Secret values to strip from the error text (the generic URL/token redaction always runs). */
  secrets?: readonly (string | null | undefined)[];
}

const MAX_ERROR_LENGTH = 2000;

/**
 * `Retry-After` as milliseconds from `now`: delay-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the past gives 0; anything unparseable undefined.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (/^\d+\.\d+$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** What went wrong, for an outcome that did not deliver. */
export function failureReasonOf(outcome: Pick<HttpOutcome, 'status' | 'transportFailure'>): FailureReason | undefined {
  if (outcome.transportFailure === TransportFailure.Timeout) return FailureReason.Timeout;
  if (outcome.transportFailure === TransportFailure.Connection) return FailureReason.Connection;
  const status = outcome.status;
  if (status === undefined) return FailureReason.Connection;
  if (status >= 200 && status < 300) return undefined;
  if (status === 429) return FailureReason.RateLimited;
  if (status === 408 || status >= 500) return FailureReason.ServerError;
  if (status === 401 || status === 403) return FailureReason.Authentication;
  return FailureReason.Rejected;
}

/** True for failures the provider side caused (5xx, 408, timeout, connection, authentication): email failover tries the fallback. */
export function isProviderSideFailure(reason: FailureReason | undefined): boolean {
  return (
    reason === FailureReason.Timeout ||
    reason === FailureReason.Connection ||
    reason === FailureReason.ServerError ||
    reason === FailureReason.Authentication
  );
}

function describe(outcome: HttpOutcome): string {
  const parts: string[] = [];
  if (outcome.errorText !== undefined && outcome.errorText.trim() !== '') parts.push(outcome.errorText.trim());
  if (outcome.transportFailure !== undefined && parts.length === 0) parts.push(outcome.transportFailure);
  const suffix = outcome.status !== undefined ? ` (HTTP ${outcome.status})` : '';
  const text = (parts.join(': ') || 'no error text') + suffix;
  const redacted = redactSecrets(text, outcome.secrets ?? []);
  return redacted.length > MAX_ERROR_LENGTH ? `${redacted.slice(0, MAX_ERROR_LENGTH - 1)}…` : redacted;
}

/** The result for a failure of a known kind: retry for provider-side trouble and rate limits, poison otherwise. */
export function resultForFailure(
  reason: FailureReason,
  base: { provider: string; providerStatus?: number; providerCode?: string },
  error: string,
  retryAfterMs?: number,
): SendResult {
  switch (reason) {
    case FailureReason.RateLimited:
      return { ...base, outcome: SendOutcome.Retry, error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    case FailureReason.Timeout:
    case FailureReason.Connection:
    case FailureReason.ServerError:
      return { ...base, outcome: SendOutcome.Retry, error };
    case FailureReason.Authentication:
    case FailureReason.Rejected:
      return { ...base, outcome: SendOutcome.Poison, error };
  }
}

/**
 * 2xx → delivered; timeout, connection error, 5xx, 408 → retry; 429 → retry not before
 * `Retry-After`; any other status → poison with the provider's (redacted) error text.
 */
export function classifyHttpOutcome(outcome: HttpOutcome, now: Date): SendResult {
  const base = {
    provider: outcome.provider,
    ...(outcome.status !== undefined ? { providerStatus: outcome.status } : {}),
    ...(outcome.providerCode !== undefined ? { providerCode: redactSecrets(outcome.providerCode, outcome.secrets ?? []) } : {}),
  };
  const reason = failureReasonOf(outcome);
  if (reason === undefined) return { ...base, outcome: SendOutcome.Delivered };
  const retryAfterMs = reason === FailureReason.RateLimited ? parseRetryAfter(outcome.retryAfter, now) : undefined;
  return resultForFailure(reason, base, describe(outcome), retryAfterMs);
}
