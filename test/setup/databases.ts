import { createDatabaseOn } from '../../bench/bench-support.js';

/** A second, empty database on the run's server, for tests that need to watch migrations happen. */
export function createScratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.TOCSIN_TEST_PG;
  if (!server) throw new Error('TOCSIN_TEST_PG is not set: run the tests through jest (npm test)');
  return createDatabaseOn(server, prefix);
}
