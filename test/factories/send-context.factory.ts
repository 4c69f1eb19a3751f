import type { SendContext } from '../../src/channels/channel-adapter.js';

/** A send context as the delivery engine builds it: the signal aborts after `timeoutMs`. */
export function makeSendContext(overrides: Partial<SendContext> = {}): SendContext {
  const timeoutMs = overrides.timeoutMs ?? 5000;
  return {
    deliveryId: '1',
    attempt: 1,
    timeoutMs,
    signal: overrides.signal ?? AbortSignal.timeout(timeoutMs),
    ...overrides,
  };
}
