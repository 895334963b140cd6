export { createLogger, serializeError, type Logger, type SerializedError } from './logger.js';
export { LOGGER, NestPinoLogger } from './nest-logger.js';
export { Clock } from './clock.js';
export { requestContext, currentRequestId, type RequestContext } from './request-context.js';
export { createMetrics, type ServiceMetrics, UNMATCHED_ROUTE } from './metrics.js';
export { registerPoolMetrics, type PoolStats } from './pool-metrics.js';
export { startMetricsServer, type MetricsServer } from './metrics-server.js';
export {
  instrumentFastify,
  sanitizeRequestId,
  untimed,
  REQUEST_ID_HEADER,
} from './instrument-fastify.js';
