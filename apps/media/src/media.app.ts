import fastifyMultipart from '@fastify/multipart';
import { createServiceApp, type ServiceApp } from '@lateral/http';
import { installIdentityCheck } from '@lateral/identity';
import { type Logger, type ServiceMetrics } from '@lateral/observability';
import sharp from 'sharp';
import { AppModule } from './app.module.js';
import { MediaException, mediaErrors } from './errors/media-errors.js';
import { MediaConfig } from './media.config.js';
import { MediaMetrics } from './media.metrics.js';

/**
 * sharp is process-wide: threads per image (parallelism comes from the work queue instead,
 * see docs/media.md), no operation cache (inputs are one-shot buffers), and no loaders for
 * formats that are active content or need a sandbox we do not have.
 */
export function configureSharp(config: MediaConfig): void {
  sharp.concurrency(config.sharp.threads);
  sharp.cache(
    config.sharp.cacheMb > 0 ? { memory: config.sharp.cacheMb, files: 0, items: 100 } : false,
  );
  sharp.block({
    operation: [
      'VipsForeignLoadSvg',
      'VipsForeignLoadPdf',
      'VipsForeignLoadMagick',
      'VipsForeignLoadOpenslide',
    ],
  });
}

/** Media as a Nest app (initialised, not listening): used by main.ts and the tests. */
export async function createMediaApp(
  config: MediaConfig,
  options: { logger: Logger; metrics: ServiceMetrics },
): Promise<ServiceApp> {
  configureSharp(config);
  const mediaMetrics = new MediaMetrics(options.metrics.registry);
  const app = await createServiceApp(AppModule.forRoot(config, mediaMetrics, options.logger), {
    logger: options.logger,
    metrics: options.metrics,
    errors: mediaErrors,
    // A queued, then processed upload sends nothing back for a long while.
    socketTimeoutMs: config.socketTimeoutMs,
    configureFastify: async (nest) => {
      // Media trusts only the gateway (docs/conventions.md, Identity). Uploads are streamed by
      // the gateway, which cannot hash them before sending: only that route takes a "streamed"
      // multipart body (a replay can only repeat the same content-addressed upload).
      installIdentityCheck(nest.getHttpAdapter().getInstance(), {
        secret: config.service.internalSecret,
        streamedBodyRoutes: [{ method: 'POST', url: '/api/v1/media' }],
        unauthorized: (error) =>
          new MediaException('unauthorized', `Caller not authenticated: ${error.message}.`),
      });
      await nest.register(fastifyMultipart, {
        limits: { fileSize: config.limits.uploadBytes, files: 1, fields: 10, fieldSize: 64 * 1024 },
      });
    },
  });
  return app;
}
