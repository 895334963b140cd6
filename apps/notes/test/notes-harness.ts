import { loadConfig } from '@lateral/config';
import { type ServiceApp } from '@lateral/http';
import { type Identity } from '@lateral/identity';
import { createLogger, createMetrics, type ServiceMetrics } from '@lateral/observability';
import { IdentitySigner, createTestDatabase, type TestDatabase } from '@lateral/testing';
import pg from 'pg';
import request from 'supertest';
import { runMigrations } from '../src/database/data-source.js';
import { createNotesApp } from '../src/notes.app.js';
import { NotesConfig, notesEnvSchema } from '../src/notes.config.js';

export const INTERNAL_SECRET = 'test-internal-secret-0123456789abcdef';
const signer = new IdentitySigner(INTERNAL_SECRET);

export const ADA: Identity = {
  userId: '7d1c2a8e-0000-4000-8000-00000000ada1',
  name: 'Ada',
  role: 'editor',
};
export const GRACE: Identity = {
  userId: '7d1c2a8e-0000-4000-8000-0000000grace',
  name: 'Grace',
  role: 'editor',
};
export const READER: Identity = { userId: 'reader-1', name: 'Rita Reader', role: 'reader' };

/** The header the gateway would send for `who` (signed for the actual request when sent). */
export function identityHeader(who: Identity = ADA): Record<string, string> {
  return signer.header(who);
}

export interface NotesHarness {
  app: ServiceApp;
  metrics: ServiceMetrics;
  db: TestDatabase;
  /** Direct SQL on the test database, to check rows behind the replies. */
  sql: pg.Pool;
  http: () => ReturnType<typeof request>;
  /** Supertest agent methods that send Ada's (or `who`'s) identity. */
  as: (who?: Identity) => {
    get: (url: string) => request.Test;
    post: (url: string) => request.Test;
    put: (url: string) => request.Test;
    delete: (url: string) => request.Test;
  };
  close(): Promise<void>;
}

/** Notes on its own fresh, migrated database, in-process (supertest drives it). */
export async function startNotes(
  adminUrl: string,
  env: Record<string, string> = {},
): Promise<NotesHarness> {
  const db = await createTestDatabase(adminUrl, 'notes');
  await runMigrations(db.url);
  const config = new NotesConfig(
    loadConfig(notesEnvSchema, {
      LOG_LEVEL: 'silent',
      LATERAL_INTERNAL_SECRET: INTERNAL_SECRET,
      DATABASE_URL: db.url,
      ...env,
    }),
  );
  const metrics = createMetrics({ service: 'notes', version: 'test', gitSha: 'test' });
  const app = await createNotesApp(config, {
    logger: createLogger({ service: 'notes', level: 'silent' }),
    metrics,
  });
  await app.getHttpAdapter().getInstance().ready();
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  const http = () => signer.request(app.getHttpServer());
  return {
    app,
    metrics,
    db,
    sql,
    http,
    as: (who = ADA) => {
      const h = identityHeader(who);
      return {
        get: (url) => http().get(url).set(h),
        post: (url) => http().post(url).set(h),
        put: (url) => http().put(url).set(h),
        delete: (url) => http().delete(url).set(h),
      };
    },
    close: async () => {
      await sql.end();
      await app.close();
      await db.drop();
    },
  };
}

/** Test data: a page as the API takes it. */
export function aNote(overrides: Partial<{ title: string; body: string; tags: string[] }> = {}) {
  return {
    title: overrides.title ?? 'Deploy Guide',
    body: overrides.body ?? 'How we ship: build, test, deploy.',
    tags: overrides.tags ?? ['ops'],
  };
}
