import { pino } from 'pino';
import { type Clock, SystemClock } from '../../src/common/clock.js';
import { type RunningTocsin, startTocsin } from '../../src/main.js';

export const TEST_ADMIN_TOKEN = 'tocsin_test_admin_token_0123456789abcdef';

export interface TestApp extends RunningTocsin {
  /** Headers with the admin bearer token. */
  admin: Record<string, string>;
}

/** Boots the whole service in this process on a free port against the run's database. */
export async function startTestApp(options: { clock?: Clock; env?: NodeJS.ProcessEnv } = {}): Promise<TestApp> {
  const running = await startTocsin({
    env: { ...process.env, TOCSIN_ADMIN_TOKEN: TEST_ADMIN_TOKEN, ...options.env },
    clock: options.clock ?? new SystemClock(),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    port: 0,
    host: '127.0.0.1',
    announceKey: () => undefined,
  });
  return { ...running, admin: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } };
}
