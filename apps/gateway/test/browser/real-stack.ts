import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, freePort, type TestDatabase } from '@lateral/testing';
import { INTERNAL_SECRET, startListeningGateway } from './fake-stack.js';

const APPS = join(import.meta.dirname, '../../..');
const UPSTREAMS = ['notes', 'media'] as const;
type Upstream = (typeof UPSTREAMS)[number];

const entry = (service: Upstream, file: 'main.js' | 'migrate.js') =>
  join(APPS, service, 'dist', file);

/** The real notes and media run from their build (`npm run build`), as their containers do. */
export const upstreamsBuilt = (): boolean =>
  UPSTREAMS.every((service) => existsSync(entry(service, 'main.js')));

interface RunningUpstream {
  url: string;
  child: ChildProcess;
  db: TestDatabase;
  output: string[];
}

async function waitReady(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became ready:\n${output.slice(-20).join('')}`);
}

/** One service on a free port with its own migrated database, its logs kept for failures. */
async function startUpstream(service: Upstream, adminUrl: string): Promise<RunningUpstream> {
  const db = await createTestDatabase(adminUrl, service);
  const env = { PATH: process.env.PATH ?? '', DATABASE_URL: db.url };
  const migrated = spawnSync(process.execPath, [entry(service, 'migrate.js')], {
    env,
    encoding: 'utf8',
  });
  if (migrated.status !== 0) {
    throw new Error(`${service} migrations failed:\n${migrated.stdout}${migrated.stderr}`);
  }
  const [port, metricsPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [entry(service, 'main.js')], {
    env: {
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      LATERAL_INTERNAL_SECRET: INTERNAL_SECRET,
      LOG_LEVEL: process.env.LATERAL_STACK_LOGS === '1' ? 'info' : 'warn',
      SHUTDOWN_DRAIN_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const echo = process.env.LATERAL_STACK_LOGS === '1';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      if (echo) process.stderr.write(`[${service}] ${chunk.toString()}`);
    });
  }
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, child, output);
  } catch (error) {
    child.kill('SIGKILL');
    await db.drop();
    throw error;
  }
  return { url, child, db, output };
}

async function stopUpstream(upstream: RunningUpstream): Promise<void> {
  const { child } = upstream;
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await upstream.db.drop();
}

/** The gateway in front of the real notes and media services, each on its own database. */
export async function startRealStack(adminUrl: string, env: Record<string, string> = {}) {
  const [notes, media] = await Promise.all(
    UPSTREAMS.map((service) => startUpstream(service, adminUrl)),
  );
  const gateway = await startListeningGateway(
    adminUrl,
    { notesUrl: notes!.url, mediaUrl: media!.url },
    env,
  );
  return {
    baseUrl: gateway.baseUrl,
    /** The services' databases, for what a test cannot set up over HTTP (e.g. an old upload). */
    databaseUrls: { notes: notes!.db.url, media: media!.db.url },
    close: async () => {
      await gateway.close();
      await Promise.all([notes!, media!].map(stopUpstream));
    },
  };
}
