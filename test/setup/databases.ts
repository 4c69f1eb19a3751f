import pg from 'pg';
import { randomBytes } from 'node:crypto';

/** A second, empty database on the run's server, for tests that need to watch migrations happen. */
export async function createScratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.TOCSIN_TEST_PG;
  if (!server) throw new Error('TOCSIN_TEST_PG is not set: run the tests through jest (npm test)');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
