/**
 * Twilio's RequestClient, adjusted for Tocsin: requests go to a configurable base URL, share
 * our keep-alive agents, abort with the attempt's signal, and an HTTP error keeps what the SDK
 * would drop (the status, Twilio's code and message, and `Retry-After`).
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as TwilioResponseModule from 'twilio/lib/http/response.js';

import { keepAliveAgents } from '../http/http-client.js';

type TwilioResponse<T> = TwilioResponseModule.default<T>;

export class TwilioHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
    readonly retryAfter: string | undefined,
  ) {
    super(message);
    this.name = 'TwilioHttpError';
  }
}

function header(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

function parseBody(body: unknown): { code?: number; message?: string } {
  const parsed: unknown = typeof body === 'string' ? safeJson(body) : body;
  if (parsed === null || typeof parsed !== 'object') return {};
  const { code, message } = parsed as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === 'number' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class TocsinTwilioRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string | undefined,
    timeoutMs: number,
    signal: AbortSignal,
  ) {
    super({ timeout: timeoutMs, autoRetry: false, keepAlive: true });
    this.axios.defaults.httpAgent = keepAliveAgents.http;
    this.axios.defaults.httpsAgent = keepAliveAgents.https;
    this.axios.interceptors.request.use((config) => {
      config.signal = signal;
      return config;
    });
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioResponse<TData>> {
    const uri = this.baseUrl ? opts.uri.replace(/^https?:\/\/[^/]+/, this.baseUrl.replace(/\/+$/, '')) : opts.uri;
    const res = await super.request<TData>({ ...opts, uri });
    if (res.statusCode >= 400) {
      const { code, message } = parseBody(res.body);
      throw new TwilioHttpError(res.statusCode, code, message ?? `HTTP ${res.statusCode}`, header(res.headers, 'retry-after'));
    }
    return res;
  }
}
