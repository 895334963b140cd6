import { env, loadConfigOrExit } from '@lateral/config';
import { createLogger } from '@lateral/observability';
import { type DataSource } from 'typeorm';
import { z } from 'zod';
import { applyMigrations } from './data-source.js';

/** Only what a migration Job needs, so it does not require the whole app's secrets. */
export const migrateEnvSchema = z.object({ DATABASE_URL: env.postgresUrl() });

/**
 * A service's `migrate` entry point (a Kubernetes Job before the new pods): applies pending
 * migrations and exits 0 when the schema is current, 1 when they fail.
 */
export async function runMigrateCommand(
  service: string,
  createDataSource: (url: string) => DataSource,
): Promise<never> {
  const config = loadConfigOrExit(migrateEnvSchema);
  const logger = createLogger({ service, level: 'info' });
  try {
    const ran = await applyMigrations(createDataSource(config.DATABASE_URL));
    logger.info({ migrations: ran }, ran.length ? 'migrations applied' : 'schema already current');
    process.exit(0);
  } catch (error) {
    logger.fatal({ err: error }, 'migrations failed');
    process.exit(1);
  }
}
