import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** A real S3-compatible server (versitygw, posix backend) on 127.0.0.1, for tests. */
export interface S3Server {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The directory behind the buckets: an object `key` of `bucket` is the file `<dir>/<bucket>/<key>`. */
  readonly dir: string;
  /** A new empty bucket. */
  createBucket(name: string): string;
  /** media's variables for a bucket on this server. */
  mediaEnv(bucket: string): Record<string, string>;
  /** Stops the server (an outage); the objects stay on disk. */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  readonly running: boolean;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

/**
 * The versitygw binary `scripts/s3/install-versitygw.sh` built (npm test's pretest runs it; the
 * script is also where the pinned version lives). Cached: a second call only checks the file.
 */
export function versitygwBinary(): string {
  // The first call on a machine builds it (minutes; the script says so on stderr, shown then).
  const out = execFileSync('bash', [join(ROOT, 'scripts/s3/install-versitygw.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', existsSync(join(ROOT, '.cache/s3')) ? 'pipe' : 'inherit'],
  });
  const path = out.trim().split('\n').pop();
  if (!path) throw new Error('install-versitygw.sh printed no path');
  return path;
}

/**
 * Starts versitygw with its posix backend in a fresh directory: SigV4, ranged GETs, ETags and
 * S3's error codes from a real implementation, no mock. A bucket is a directory there, which
 * is how {@link S3Server.createBucket} makes one without a signed request.
 */
export async function startS3Server(): Promise<S3Server> {
  const binary = versitygwBinary();
  const dir = mkdtempSync(join(tmpdir(), 'lateral-s3-'));
  const port = await freePort();
  const accessKeyId = 'lateral-test';
  const secretAccessKey = 'lateral-test-secret-0123456789';
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    const started = spawn(
      binary,
      [
        '--access',
        accessKeyId,
        '--secret',
        secretAccessKey,
        '--port',
        `127.0.0.1:${port}`,
        '--quiet',
        '--keep-alive',
        'posix',
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    for (const stream of [started.stdout, started.stderr])
      stream?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    child = started;
    await waitForPort(port, started, () => output);
  };
  const stop = async () => {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((r) => current.once('exit', r));
    current.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId,
    secretAccessKey,
    dir,
    createBucket(name) {
      mkdirSync(join(dir, name));
      return name;
    },
    mediaEnv(bucket) {
      return {
        MEDIA_S3_ENDPOINT: `http://127.0.0.1:${port}`,
        MEDIA_S3_BUCKET: bucket,
        MEDIA_S3_FORCE_PATH_STYLE: 'true',
        MEDIA_S3_ACCESS_KEY_ID: accessKeyId,
        MEDIA_S3_SECRET_ACCESS_KEY: secretAccessKey,
      };
    },
    stop,
    start,
    get running() {
      return child !== undefined;
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`versitygw exited: ${output()}`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`versitygw did not listen on ${port} within 20 s: ${output()}`);
}
