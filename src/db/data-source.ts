import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations.js';

export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'tocsin_migrations',
    migrationsTransactionMode: 'all',
    extra: { max: poolSize, application_name: 'tocsin' },
    logging: false,
  });
}
