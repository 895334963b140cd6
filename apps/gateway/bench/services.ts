import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, freePort, startPostgresServer } from '@lateral/testing';

/** Fixed secrets: the benchmark's own processes on 127.0.0.1, nothing else can reach them. */
export const INTERNAL_SECRET = 'bench-internal-secret-0123456789abcdef';
export const BOOTSTRAP_TOKEN = 'bench-bootstrap-token-0123456789abcdef';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const APPS = ['notes', 'media', 'gateway'] as const;
type App = (typeof APPS)[number];

export interface RunningService {
  app: App;
  url: string;
  process: ChildProcess;
}

export interface BenchStack {
  notes: RunningService;
  media: RunningService;
  gateway: RunningService;
  postgresKind: string;
  logDir: string;
  stop(): Promise<void>;
}

const dist = (app: App, file: string) => join(ROOT, 'apps', app, 'dist', file);

/** The benchmark measures the built services as they ship; it never builds them itself. */
export function assertBuilt(): void {
  const missing = APPS.filter((app) => !existsSync(dist(app, 'main.js')));
  if (missing.length > 0) {
    throw new Error(`apps/{${missing.join(',')}}/dist is missing: run \`npm run build\` first`);
  }
}

async function waitReady(service: RunningService, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (service.process.exitCode !== null)
      throw new Error(`${service.app} exited before it was ready (see its log)`);
    try {
      const res = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${service.app} was not ready after ${timeoutMs} ms`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** BENCH_PROFILE=1: the gateway writes a V8 CPU profile (open it in Chrome DevTools) on exit. */
function profileArgs(logDir: string): string[] {
  if (!process.env.BENCH_PROFILE) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${join(logDir, 'profile')}`];
}

/** User + system CPU seconds a process has used so far (Linux /proc; 100 ticks a second). */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * PostgreSQL (embedded unless TEST_DATABASE_URL is set) with one database per service, each
 * service's migrations, then notes, media and the gateway as their own processes from dist,
 * with production defaults (info-level JSON logs, written to a file as a container runtime
 * would collect them). The gateway calls notes and media directly: no balancer in between, so
 * the only difference between "through the gateway" and "notes directly" is the gateway.
 */
export async function startStack(): Promise<BenchStack> {
  assertBuilt();
  const logDir = join(ROOT, '.cache/gateway-bench');
  mkdirSync(logDir, { recursive: true });
  const pg = await startPostgresServer();
  const children: ChildProcess[] = [];
  const databases: { drop(): Promise<void> }[] = [];
  const teardown = async () => {
    await Promise.all(children.map(stop));
    for (const db of databases) await db.drop().catch(() => undefined);
    await pg.stop();
  };
  try {
    const common = {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LATERAL_INTERNAL_SECRET: INTERNAL_SECRET,
      LATERAL_VERSION: 'bench',
      LATERAL_GIT_SHA: 'bench',
      SHUTDOWN_DRAIN_MS: '0',
    };
    const launch = async (
      app: App,
      env: Record<string, string>,
      nodeArgs: string[] = [],
    ): Promise<RunningService> => {
      const db = await createTestDatabase(pg.adminUrl, `gateway_bench_${app}`);
      databases.push(db);
      const migrated = spawnSync(process.execPath, [dist(app, 'migrate.js')], {
        cwd: ROOT,
        env: { ...common, DATABASE_URL: db.url },
        encoding: 'utf8',
      });
      if (migrated.status !== 0)
        throw new Error(`${app} migrations failed:\n${migrated.stdout}${migrated.stderr}`);
      const port = await freePort();
      const log = openSync(join(logDir, `${app}.log`), 'w');
      const child = spawn(process.execPath, [...nodeArgs, dist(app, 'main.js')], {
        cwd: ROOT,
        env: {
          ...common,
          ...env,
          DATABASE_URL: db.url,
          PORT: String(port),
          METRICS_PORT: String(await freePort()),
        },
        stdio: ['ignore', log, log],
      });
      closeSync(log);
      children.push(child);
      const service = { app, url: `http://127.0.0.1:${port}`, process: child };
      await waitReady(service);
      return service;
    };
    const [notes, media] = await Promise.all([launch('notes', {}), launch('media', {})]);
    const gateway = await launch(
      'gateway',
      {
        NOTES_URL: notes.url,
        MEDIA_URL: media.url,
        PUBLIC_URL: 'http://127.0.0.1:8080',
        SESSION_SECRET: 'bench-session-secret-0123456789abcdefgh',
        COOKIE_SECURE: 'false',
        LATERAL_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN,
        // The benchmark is one caller sending thousands of requests a second.
        RATE_LIMIT_API_PER_MINUTE: '100000000',
      },
      profileArgs(logDir),
    );
    return { notes, media, gateway, postgresKind: pg.kind, logDir, stop: teardown };
  } catch (error) {
    await teardown();
    throw error;
  }
}
