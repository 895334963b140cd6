import { type Server, type ServerResponse } from 'node:http';
import { type INestApplication } from '@nestjs/common';
import { HealthService } from './health.service.js';

export interface ShutdownOptions {
  /** How long readiness fails before the listener closes, so endpoints are removed first. */
  drainMs: number;
  /** Hard limit for the whole shutdown; past it the process exits 1. */
  timeoutMs: number;
  logger: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Extra resources to close after the app (metrics server, worker pools). */
  afterClose?: () => Promise<void>;
  /** Exits the process; replaceable in tests. */
  exit?: (code: number) => void;
}

/**
 * SIGTERM (Kubernetes) or SIGINT (Ctrl-C): readiness turns 503, wait `drainMs` while endpoints
 * update, then close the app (Fastify finishes in-flight requests, module destroy hooks close
 * pools), then exit 0. A second signal or the timeout forces exit 1.
 */
export function installGracefulShutdown(
  app: INestApplication,
  options: ShutdownOptions,
): () => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let shuttingDown: Promise<void> | undefined;

  const shutdown = (signal: string): Promise<void> => {
    if (shuttingDown) return shuttingDown;
    options.logger.info(
      { signal, drainMs: options.drainMs },
      'shutdown started; readiness now fails',
    );
    const timer = setTimeout(() => {
      options.logger.error({ timeoutMs: options.timeoutMs }, 'shutdown timed out; forcing exit');
      exit(1);
    }, options.timeoutMs);
    timer.unref();
    shuttingDown = (async () => {
      app.get(HealthService).startDraining();
      // Every answer from now on says `Connection: close`, so keep-alive clients (the ingress,
      // the gateway's upstream pool) reconnect through the Service, which no longer routes here,
      // instead of sending their next request on a socket the listener is about to close (a
      // reset, or Fastify's 503 while closing). Prepended: set before Fastify writes headers.
      (app.getHttpServer() as Server).prependListener('request', (_req, res: ServerResponse) => {
        res.setHeader('connection', 'close');
      });
      await new Promise((resolve) => setTimeout(resolve, options.drainMs));
      try {
        await app.close();
        await options.afterClose?.();
        options.logger.info({}, 'shutdown complete');
        clearTimeout(timer);
        exit(0);
      } catch (error) {
        options.logger.error({ err: error }, 'shutdown failed');
        exit(1);
      }
    })();
    return shuttingDown;
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void shutdown(signal));
  }
  return () => shutdown('manual');
}
