import { type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type RawServerDefault } from 'fastify';
import { type ServiceConfig } from '@lateral/config';
import { installGracefulShutdown } from '@lateral/health';
import {
  NestPinoLogger,
  instrumentFastify,
  startMetricsServer,
  type Logger,
  type MetricsServer,
  type ServiceMetrics,
} from '@lateral/observability';
import { ApiExceptionFilter, type ErrorModel } from './api-exception.filter.js';
import {
  MAX_JSON_DEPTH,
  MAX_PARAM_LENGTH,
  frameworkErrorHandler,
  jsonNestingExceeds,
  nulInUrl,
  tooDeepJson,
} from './request-guards.js';

export interface ServiceAppOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  /** The app's codes and their statuses (its `errorModel(...)`). */
  errors: ErrorModel;
  /** Largest accepted request body in bytes (JSON); multipart routes set their own limits. */
  bodyLimit?: number;
  /**
   * A socket with no traffic for this long is closed, also while its request is being handled:
   * it must outlast the slowest answer the service gives (the gateway waiting on a media upload).
   */
  socketTimeoutMs?: number;
  /** Hook to register Fastify plugins (multipart, cookies, static files) before routes. */
  configureFastify?: (app: NestFastifyApplication) => Promise<void> | void;
}

export type ServiceApp = NestFastifyApplication;

/**
 * Builds a Nest app on Fastify with the shared behaviour: JSON logs, RED metrics at the HTTP
 * adapter, one error shape for Nest and Fastify errors alike. `init()` is called, `listen()` not,
 * so tests can use it in-process.
 */
export async function createServiceApp(
  module: Type | DynamicModule,
  options: ServiceAppOptions,
): Promise<ServiceApp> {
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const adapter = new FastifyAdapter({
    bodyLimit,
    // The default (100) is shorter than a legal 120-character slug; over the limit, our JSON
    // error instead of Fastify's raw one (which echoes the URL).
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrorHandler(options.metrics),
    // Request ids are handled in instrumentFastify (validated, forwarded, logged).
    logger: false,
    // A stalled client must not hold a socket forever (slowloris): the whole request must arrive
    // within a minute, and a silent socket is closed after socketTimeoutMs.
    requestTimeout: 60_000,
    connectionTimeout: options.socketTimeoutMs ?? 30_000,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: new NestPinoLogger(options.logger),
    bufferLogs: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  instrumentFastify(fastify, options.metrics, options.logger);
  fastify.addHook('onRequest', (request, _reply, done) => done(nulInUrl(request)));
  // JSON nested deeper than MAX_JSON_DEPTH is refused before parsing: re-serialising it (the
  // gateway's proxy) or walking it (zod) would overflow the stack, a 500 for 100k `[`.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) => {
    if (jsonNestingExceeds(body, MAX_JSON_DEPTH)) return done(tooDeepJson());
    void parseJson(request, body.toString('utf8'), done);
  });
  // No fastify.setErrorHandler here: Nest installs its own at init (replacing any set before,
  // with Fastify's FSTWRN004 warning) and routes every error, Fastify's body-parsing and limit
  // errors included, through the global ApiExceptionFilter below.
  app.useGlobalFilters(new ApiExceptionFilter(options.errors, options.logger));
  await options.configureFastify?.(app);
  await app.init();
  return app;
}

/** Listens, serves metrics on their own port and installs SIGTERM handling. */
export async function startService(
  app: INestApplication,
  config: ServiceConfig,
  options: { logger: Logger; metrics: ServiceMetrics; afterClose?: () => Promise<void> },
): Promise<{ metricsServer: MetricsServer; shutdown: () => Promise<void> }> {
  await app.listen(config.port, config.host);
  const metricsServer = await startMetricsServer(
    options.metrics.registry,
    config.metricsPort,
    config.host,
  );
  const shutdown = installGracefulShutdown(app, {
    drainMs: config.shutdownDrainMs,
    timeoutMs: config.shutdownTimeoutMs,
    logger: options.logger,
    afterClose: async () => {
      await metricsServer.close();
      await options.afterClose?.();
    },
  });
  options.logger.info(
    {
      port: config.port,
      metricsPort: metricsServer.port,
      version: config.version,
      gitSha: config.gitSha,
    },
    `${config.name} listening`,
  );
  return { metricsServer, shutdown };
}
