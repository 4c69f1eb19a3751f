import { pino, type Logger } from 'pino';

/** Paths pino blanks in every log line: credentials never reach the log. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  '*.authorization',
  '*.token',
  '*.key',
  '*.apiKey',
  '*.api_key',
  '*.password',
  '*.secret',
  '*.routing_key',
  '*.routingKey',
  '*.auth_token',
  '*.bot_token',
  '*.api_url',
  '*.url',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'tocsin' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
