import type { CompiledTemplate } from '../templates/template-engine.js';

export enum EmailProvider {
  SendGrid = 'sendgrid',
  Smtp = 'smtp',
}

export const SENDGRID_DEFAULT_BASE_URL = 'https://api.sendgrid.com';

export interface SendGridSettings {
  provider: EmailProvider.SendGrid;
  /** Secret. */
  apiKey: string;
  from: string;
  /** Default `https://api.sendgrid.com`. */
  baseUrl?: string;
}

export interface SmtpSettings {
  provider: EmailProvider.Smtp;
  host: string;
  port: number;
  /** TLS from the first byte (port 465). */
  secure: boolean;
  /** Insist on STARTTLS. */
  requireTls?: boolean;
  user?: string;
  /** Secret. */
  password?: string;
  from: string;
  /** EHLO name. */
  hello?: string;
}

export type EmailProviderSettings = SendGridSettings | SmtpSettings;

/** One email target: one `to` address of an `email_configs` entry. */
export interface EmailTarget {
  receiver: string;
  to: string;
  primary: EmailProviderSettings;
  /** Tried at once within the same attempt when the primary fails for a provider-side reason. */
  fallback?: EmailProviderSettings;
  subject?: CompiledTemplate;
  text?: CompiledTemplate;
  html?: CompiledTemplate;
  /** Extra headers (templates). */
  headers?: Record<string, CompiledTemplate>;
}
