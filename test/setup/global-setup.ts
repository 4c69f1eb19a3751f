import pg from 'pg';
import { randomBytes } from 'node:crypto';

/**
 * One fresh PostgreSQL database per test run (dropped by global-teardown). The server comes from
 * TOCSIN_TEST_PG (default: the local server on 127.0.0.1:5432 with trust auth). Each run also
 * gets its own Redis logical database (TOCSIN_TEST_REDIS_DB, chosen from the run id).
 */
export default async function globalSetup(): Promise<void> {
  const server = process.env.TOCSIN_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `tocsin_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const client = new pg.Client({ connectionString: server });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `The test suite needs a PostgreSQL server at ${server.replace(/\/\/[^@]*@/, '//')} (${(err as Error).message}). ` +
        'Install and start one (Debian: apt-get install postgresql; pg_ctlcluster 15 main start), or set TOCSIN_TEST_PG, or run .ci/run which does both.',
    );
  }
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.TOCSIN_TEST_DB_NAME = name;
  process.env.TOCSIN_TEST_PG = server;
  process.env.TOCSIN_TEST_REDIS_DB = String(1 + (parseInt(randomBytes(2).toString('hex'), 16) % 15));
}
