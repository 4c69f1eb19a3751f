/** Process settings of the alerts module (from the environment). */
export interface AlertsSettings {
  /** TOCSIN_EXTERNAL_URL: the base of links in notifications. */
  externalUrl: string;
  /** TOCSIN_GROUP_FLUSH_POLL_MS: how often the flusher looks for due groups; 0 = never by itself. */
  flushPollMs: number;
  /** How often resolved alerts that left every group are deleted (after `retention.alerts`). */
  cleanupEveryMs: number;
}

export const ALERTS_SETTINGS = Symbol('AlertsSettings');

export const DEFAULT_FLUSH_POLL_MS = 500;

export function alertsSettingsFrom(env: NodeJS.ProcessEnv): AlertsSettings {
  const poll = Number(env.TOCSIN_GROUP_FLUSH_POLL_MS ?? DEFAULT_FLUSH_POLL_MS);
  return {
    externalUrl: env.TOCSIN_EXTERNAL_URL ?? `http://localhost:${env.PORT ?? 8080}`,
    flushPollMs: Number.isFinite(poll) && poll >= 0 ? poll : DEFAULT_FLUSH_POLL_MS,
    cleanupEveryMs: 60_000,
  };
}
