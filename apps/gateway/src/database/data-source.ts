import { DataSource } from 'typeorm';
import { ApiTokenEntity } from '../tokens/api-token.entity.js';
import { SessionEntity } from '../auth/session.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema.js';

export const ENTITIES = [UserEntity, SessionEntity, ApiTokenEntity];
export const MIGRATIONS = [InitialSchema1764000000000];

/** One definition for the app, `migrate.ts` and tests; never `synchronize`. */
export function createDataSource(url: string, poolMax = 5): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'gateway_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolMax, connectionTimeoutMillis: 5000, application_name: 'lateral-gateway' },
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
