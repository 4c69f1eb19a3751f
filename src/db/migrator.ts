import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';

/** Arbitrary constant: the advisory lock that serialises schema changes across replicas. */
const MIGRATION_LOCK = 7_361_001;

/**
 * Applies pending migrations under a session advisory lock, so replicas starting together
 * apply each migration exactly once and the others wait, then find nothing to do.
 */
export async function migrate(dataSource: DataSource, log: Logger): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    const names = applied.map((m) => m.name);
    if (names.length > 0) log.info({ migrations: names }, 'database migrations applied');
    return names;
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

export async function pendingMigrations(dataSource: DataSource): Promise<boolean> {
  return dataSource.showMigrations();
}
