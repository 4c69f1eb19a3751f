import type { SendContext, SendResult } from '../channel-adapter.js';
import type { FailureReason } from '../classify.js';

/** A rendered email ready for any provider. */
export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** What one provider made of one try: the result and, when it failed, why. */
export interface ProviderAttempt {
  result: SendResult;
  reason?: FailureReason;
}

export type EmailSender<TSettings> = (
  settings: TSettings,
  email: OutgoingEmail,
  ctx: SendContext,
  now: () => Date,
) => Promise<ProviderAttempt>;
