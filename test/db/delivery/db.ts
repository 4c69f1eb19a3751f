import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../src/db/data-source.js';
import { Database } from '../../../src/db/database.service.js';
import { migrate } from '../../../src/db/migrator.js';

/** The run's database with every migration applied, for repository-level tests. */
export async function openTestDatabase(): Promise<{ db: Database; source: DataSource; close(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through jest (npm test)');
  const source = createDataSource(url, 12);
  await source.initialize();
  await migrate(source, pino({ level: 'silent' }));
  return { db: new Database(source), source, close: () => source.destroy() };
}
