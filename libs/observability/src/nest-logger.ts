import { type LoggerService } from '@nestjs/common';
import { type Logger } from './logger.js';

/** Routes Nest's own log calls (bootstrap, module init) into the same JSON stream. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    // Nest's route-mapping chatter is noise in production logs.
    if (context === 'RouterExplorer' || context === 'RoutesResolver') {
      this.logger.debug({ context }, String(message));
      return;
    }
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}

/**
 * Nest token of the process's pino logger (the one main.ts creates, also behind
 * {@link NestPinoLogger}): `@Inject(LOGGER) private readonly logger: Logger` in app code, which
 * never calls `createLogger()` itself.
 */
export const LOGGER = Symbol('lateral.logger');
