export { HealthModule } from './health.module.js';
export { HealthService, withTimeout, type ReadinessCheck } from './health.service.js';
export { installGracefulShutdown, type ShutdownOptions } from './graceful-shutdown.js';
