export { ConfigError, loadConfig, loadConfigOrExit, type Env } from './load-config.js';
export { env } from './env-types.js';
export { serviceEnvSchema, toServiceConfig, type ServiceConfig } from './service-config.js';
