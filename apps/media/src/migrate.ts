import 'reflect-metadata';
import { loadConfigOrExit } from '@lateral/config';
import { createLogger } from '@lateral/observability';
import { runMigrations } from './database/data-source.js';
import { migrateEnvSchema } from './media.config.js';

// Runs as its own command (a Kubernetes Job before the new pods): exit 0 when the schema is current.
const env = loadConfigOrExit(migrateEnvSchema, process.env);
const logger = createLogger({ service: 'media', level: 'info' });
try {
  const ran = await runMigrations(env.DATABASE_URL);
  logger.info({ migrations: ran }, ran.length ? 'migrations applied' : 'schema already current');
  process.exit(0);
} catch (error) {
  logger.fatal({ err: error }, 'migrations failed');
  process.exit(1);
}
