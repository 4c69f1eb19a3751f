/** Process-level knobs of the SLO module (environment, read once at start). */
export interface SloSettings {
  /** REDIS_URL: where `source: redis` heartbeats are read. */
  redisUrl: string | null;
  /** TOCSIN_SLO=0 keeps this process out of the SLO leader election (it still serves the API). */
  evaluate: boolean;
  /** How long the evaluation log (`slo_evaluations`) is kept. */
  evaluationLogKeepMs: number;
}

export const SLO_SETTINGS = Symbol('SloSettings');

export function sloSettingsFrom(env: NodeJS.ProcessEnv): SloSettings {
  return {
    redisUrl: env.REDIS_URL ? env.REDIS_URL : null,
    evaluate: env.TOCSIN_SLO !== '0',
    evaluationLogKeepMs: 24 * 3600_000,
  };
}
