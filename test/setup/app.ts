import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { type Clock, SystemClock } from '../../src/common/clock.js';
import { type RunningTocsin, startTocsin } from '../../src/main.js';

export const TEST_ADMIN_TOKEN = 'tocsin_test_admin_token_0123456789abcdef';

export interface TestApp extends RunningTocsin {
  /** Headers with the admin bearer token. */
  admin: Record<string, string>;
  /** The config file the app reads (when started with `configYaml`); rewrite it and POST /-/reload. */
  configPath: string | null;
}

/** Writes a config file into a fresh temporary folder and returns its path. */
export function writeConfigFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-config-'));
  const path = join(dir, 'tocsin.yml');
  writeFileSync(path, yaml);
  return path;
}

/**
 * Boots the whole service in this process on a free port against the run's database.
 * `configYaml` is written to a file the app reads as TOCSIN_CONFIG (so reloads work).
 */
export async function startTestApp(
  options: { clock?: Clock; env?: NodeJS.ProcessEnv; configYaml?: string; configPath?: string } = {},
): Promise<TestApp> {
  const configPath = options.configPath ?? (options.configYaml !== undefined ? writeConfigFile(options.configYaml) : null);
  // SLO evaluation is off unless a test asks for it (`env: { TOCSIN_SLO: '1' }`): its self-alerts
  // route to whatever receiver a test configured, and tests count what their doubles receive.
  const env: NodeJS.ProcessEnv = { ...process.env, TOCSIN_ADMIN_TOKEN: TEST_ADMIN_TOKEN, TOCSIN_CONFIG: configPath ?? '', TOCSIN_SLO: '0', ...options.env };
  if (!configPath && !options.env?.TOCSIN_CONFIG) delete env.TOCSIN_CONFIG;
  const running = await startTocsin({
    env,
    clock: options.clock ?? new SystemClock(),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    port: 0,
    host: '127.0.0.1',
    announceKey: () => undefined,
  });
  return { ...running, admin: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, configPath };
}
