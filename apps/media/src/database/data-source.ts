import { DataSource } from 'typeorm';
import { MediaSchema1764100000000 } from './migrations/1764100000000-media-schema.js';

export const MIGRATIONS = [MediaSchema1764100000000];

/**
 * One definition for the app, `migrate.ts` and tests; never `synchronize`. Media uses plain
 * SQL in its repository (bytea in and out, ON CONFLICT), so no entities are registered.
 */
export function createDataSource(url: string, poolMax = 5): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'media_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolMax, connectionTimeoutMillis: 5000, application_name: 'lateral-media' },
  });
}

/** Applies pending migrations; returns the names it ran. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = createDataSource(url, 1);
  await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations();
    return ran.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
