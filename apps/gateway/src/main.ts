import 'reflect-metadata';
import { loadConfigOrExit } from '@lateral/config';
import { startService } from '@lateral/http';
import { createLogger, createMetrics } from '@lateral/observability';
import { createGatewayApp } from './gateway.app.js';
import { GatewayConfig, gatewayEnvSchema } from './gateway.config.js';

const config = new GatewayConfig(loadConfigOrExit(gatewayEnvSchema));
const logger = createLogger({
  service: 'gateway',
  level: config.service.logLevel,
  version: config.service.version,
});
const metrics = createMetrics({
  service: 'gateway',
  version: config.service.version,
  gitSha: config.service.gitSha,
});

try {
  const app = await createGatewayApp(config, { logger, metrics });
  await startService(app, config.service, { logger, metrics });
} catch (error) {
  logger.fatal({ err: error }, 'gateway failed to start');
  process.exit(1);
}
