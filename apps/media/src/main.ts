import 'reflect-metadata';
import { loadConfigOrExit } from '@lateral/config';
import { startService } from '@lateral/http';
import { createLogger, createMetrics } from '@lateral/observability';
import { createMediaApp } from './media.app.js';
import { MediaConfig, mediaEnvSchema } from './media.config.js';

const config = new MediaConfig(loadConfigOrExit(mediaEnvSchema));
const logger = createLogger({
  service: 'media',
  level: config.service.logLevel,
  version: config.service.version,
});
const metrics = createMetrics({
  service: 'media',
  version: config.service.version,
  gitSha: config.service.gitSha,
});

try {
  const app = await createMediaApp(config, { logger, metrics });
  await startService(app, config.service, { logger, metrics });
} catch (error) {
  logger.fatal({ err: error }, 'media failed to start');
  process.exit(1);
}
