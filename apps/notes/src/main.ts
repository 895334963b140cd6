import 'reflect-metadata';
import { loadConfigOrExit } from '@lateral/config';
import { startService } from '@lateral/http';
import { createLogger, createMetrics } from '@lateral/observability';
import { createNotesApp } from './notes.app.js';
import { NotesConfig, notesEnvSchema } from './notes.config.js';

const config = new NotesConfig(loadConfigOrExit(notesEnvSchema));
const logger = createLogger({
  service: 'notes',
  level: config.service.logLevel,
  version: config.service.version,
});
const metrics = createMetrics({
  service: 'notes',
  version: config.service.version,
  gitSha: config.service.gitSha,
});

try {
  const app = await createNotesApp(config, { logger, metrics });
  await startService(app, config.service, { logger, metrics });
} catch (error) {
  logger.fatal({ err: error }, 'notes failed to start');
  process.exit(1);
}
