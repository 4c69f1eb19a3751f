import type { CompiledTemplate } from '../templates/template-engine.js';

export const TWILIO_DEFAULT_BASE_URL = 'https://api.twilio.com';

/** One SMS target: one `to` number of an `sms_configs` entry, with `channels.sms` settings. */
export interface SmsTarget {
  receiver: string;
  /** E.164 phone number. */
  to: string;
  accountSid: string;
  /** Secret. */
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  /** Twilio API base (default `https://api.twilio.com`), for a regional endpoint or a test double. */
  baseUrl?: string;
  message?: CompiledTemplate;
}
