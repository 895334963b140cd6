import { loadConfig } from '@lateral/config';
import { type ServiceApp } from '@lateral/http';
import { type Identity, type Role } from '@lateral/identity';
import { createLogger, createMetrics, type ServiceMetrics } from '@lateral/observability';
import { IdentitySigner, createTestDatabase, type TestDatabase } from '@lateral/testing';
import pg from 'pg';
import request from 'supertest';
import { runMigrations } from '../src/database/data-source.js';
import { createMediaApp } from '../src/media.app.js';
import { MediaConfig, mediaEnvSchema } from '../src/media.config.js';

export const INTERNAL_SECRET = 'test-internal-secret-0123456789abcdef';
const signer = new IdentitySigner(INTERNAL_SECRET);

export interface MediaHarness {
  app: ServiceApp;
  config: MediaConfig;
  metrics: ServiceMetrics;
  db: TestDatabase;
  http: () => ReturnType<typeof request>;
  /** Runs SQL against the service's database (assertions on rows). */
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** Prometheus text of the process registry. */
  metricsText(): Promise<string>;
  close(): Promise<void>;
}

/** The header the gateway would send for this person (signed for the actual request when sent). */
export function identity(userId = 'user-1', role: Role = 'editor'): Record<string, string> {
  const who: Identity = { userId, name: userId, role };
  return signer.header(who);
}

/**
 * Media on its own fresh database, migrated, in-process (supertest drives it). With `db`, a
 * second process on another's database (a config change, a rollout); closing it keeps the
 * database.
 */
export async function startMedia(
  adminUrl: string,
  env: Record<string, string> = {},
  options: { db?: TestDatabase } = {},
): Promise<MediaHarness> {
  const db = options.db ?? (await createTestDatabase(adminUrl, 'media'));
  await runMigrations(db.url);
  const config = new MediaConfig(
    loadConfig(mediaEnvSchema, {
      LOG_LEVEL: 'silent',
      LATERAL_INTERNAL_SECRET: INTERNAL_SECRET,
      DATABASE_URL: db.url,
      ...env,
    }),
  );
  const metrics = createMetrics({ service: 'media', version: 'test', gitSha: 'test' });
  const app = await createMediaApp(config, {
    logger: createLogger({ service: 'media', level: 'silent' }),
    metrics,
  });
  await app.getHttpAdapter().getInstance().ready();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  return {
    app,
    config,
    metrics,
    db,
    http: () => signer.request(app.getHttpServer()),
    sql: async <T>(text: string, values?: unknown[]) =>
      (await client.query(text, values)).rows as T[],
    metricsText: () => metrics.registry.metrics(),
    close: async () => {
      await client.end();
      await app.close();
      if (!options.db) await db.drop();
    },
  };
}

/** supertest collects binary bodies into a Buffer with this parser. */
export function binary(res: unknown, callback: (error: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
  stream.on('error', (error: Error) => callback(error, Buffer.alloc(0)));
}
