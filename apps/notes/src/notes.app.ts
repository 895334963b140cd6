import { createServiceApp, type ServiceApp } from '@lateral/http';
import { installIdentityCheck } from '@lateral/identity';
import { Clock, type Logger, type ServiceMetrics } from '@lateral/observability';
import { AppModule } from './app.module.js';
import { NotesException, notesErrors } from './errors/notes-errors.js';
import { NotesConfig } from './notes.config.js';
import { NotesMetrics } from './notes.metrics.js';

/** The notes service as a Nest app (initialised, not listening): used by main.ts, tests and the bench. */
export async function createNotesApp(
  config: NotesConfig,
  options: { logger: Logger; metrics: ServiceMetrics; clock?: Clock },
): Promise<ServiceApp> {
  const notesMetrics = new NotesMetrics(options.metrics.registry);
  return createServiceApp(
    AppModule.forRoot(config, notesMetrics, {
      logger: options.logger,
      clock: options.clock ?? new Clock(),
    }),
    {
      logger: options.logger,
      metrics: options.metrics,
      errors: notesErrors,
      bodyLimit: config.maxRequestBytes,
      configureFastify: (nest) => {
        // Notes trusts only the gateway (docs/conventions.md, Identity); readers may not write
        // (the gateway checks this too).
        installIdentityCheck(nest.getHttpAdapter().getInstance(), {
          secret: config.service.internalSecret,
          unauthorized: (error) =>
            new NotesException(
              'unauthorized',
              `Missing or invalid caller identity (${error.message}).`,
            ),
          readerWrite: () => new NotesException('forbidden', 'Readers cannot change pages.'),
        });
      },
    },
  );
}
