import { env, serviceEnvSchema, toServiceConfig, type ServiceConfig } from '@lateral/config';
import { z } from 'zod';

/**
 * Every variable notes reads, validated at boot. Nothing else in the app reads `process.env`:
 * features receive the typed {@link NotesConfig}.
 */
export const notesEnvSchema = serviceEnvSchema.extend({
  PORT: env.port().default(8081),
  METRICS_PORT: env.port().default(9081),
  DATABASE_URL: env.postgresUrl(),
  DATABASE_POOL_MAX: env.positiveInt().default(10),
  /** Largest accepted JSON request; a page body is markdown, images live in media. */
  NOTES_MAX_REQUEST_BYTES: env.bytes().default(1024 * 1024),
  /** Statement timeout so one pathological query cannot hold a pool connection forever. */
  DATABASE_STATEMENT_TIMEOUT_MS: env.positiveInt().default(10_000),
});

export type NotesEnv = z.infer<typeof notesEnvSchema>;

/** The typed config; a class so Nest can inject it by type. */
export class NotesConfig {
  readonly service: ServiceConfig;
  readonly databaseUrl: string;
  readonly databasePoolMax: number;
  readonly statementTimeoutMs: number;
  readonly maxRequestBytes: number;

  constructor(e: NotesEnv) {
    this.service = toServiceConfig('notes', e.PORT, e);
    this.databaseUrl = e.DATABASE_URL;
    this.databasePoolMax = e.DATABASE_POOL_MAX;
    this.statementTimeoutMs = e.DATABASE_STATEMENT_TIMEOUT_MS;
    this.maxRequestBytes = e.NOTES_MAX_REQUEST_BYTES;
  }
}
