import type { CompiledTemplate } from '../templates/template-engine.js';

export const SLACK_DEFAULT_API_BASE = 'https://slack.com/api/';

/** One resolved `slack_configs` entry (receiver keys over `channels.slack` over `global`). */
export interface SlackTarget {
  receiver: string;
  /** Incoming-webhook URL (`api_url`); the whole URL is a secret. */
  webhookUrl?: string;
  /** Bot token: posts through the Web API (`chat.postMessage`, `chat.update` on resolve). */
  botToken?: string;
  /** Web API base URL (default `https://slack.com/api/`); a URL ending in `/chat.postMessage` is accepted. */
  apiBaseUrl?: string;
  channel?: string;
  iconEmoji?: string;
  iconUrl?: string;
  username?: CompiledTemplate;
  title?: CompiledTemplate;
  titleLink?: CompiledTemplate;
  text?: CompiledTemplate;
  color?: CompiledTemplate;
  pretext?: CompiledTemplate;
  fallback?: CompiledTemplate;
  footer?: CompiledTemplate;
}

/** What a delivered Web API post returns as `state`, handed back as `ctx.previousState`. */
export interface SlackMessageState {
  ts: string;
  channel: string;
}

export function isSlackMessageState(value: Record<string, unknown> | undefined): value is Record<string, unknown> & SlackMessageState {
  return value !== undefined && typeof value.ts === 'string' && typeof value.channel === 'string';
}
