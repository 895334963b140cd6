// What the media benchmarks share (media.bench.ts, storage.bench.ts): timing a batch of tasks,
// a process's RSS from /proc, and the real service as its own process, called over HTTP with
// the gateway's signed identity.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IDENTITY_HEADER, STREAMED_BODY, signIdentity } from '@lateral/identity';
import { freePort } from '@lateral/testing';

export const SECRET = 'bench-internal-secret-0123456789abcdef';
export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const docsFile = join(root, 'docs/media.md');

/** The container settings docs/media.md recommends. */
export const SERVICE_ENV = { MALLOC_ARENA_MAX: '2', UV_THREADPOOL_SIZE: '4' };

export interface Row {
  scenario: string;
  concurrency: number;
  images: number;
  failures: number;
  perSecond: number;
  p50: number;
  p95: number;
  peakRssMb?: number;
}

export const log = (message: string) => process.stdout.write(`[bench] ${message}\n`);
export const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** A row with what it was computed from: each success's latency (sorted, ms) and the wall time. */
export type Measured = Row & { latencies: number[]; seconds: number };

/** Runs `count` tasks with at most `concurrency` at once; latency of each, and the wall time. */
export async function measure(
  scenario: string,
  concurrency: number,
  count: number,
  task: (n: number) => Promise<void>,
): Promise<Measured> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const n = next++;
        const t = performance.now();
        try {
          await task(n);
          latencies.push(performance.now() - t);
        } catch (error) {
          failures++;
          log(`${scenario} c=${concurrency}: ${(error as Error).message}`);
        }
      }
    }),
  );
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const row = {
    scenario,
    concurrency,
    images: count,
    failures,
    perSecond: Math.round((latencies.length / wall) * 100) / 100,
    p50: Math.round(percentile(latencies, 50)),
    p95: Math.round(percentile(latencies, 95)),
  };
  log(`${scenario} c=${concurrency}: ${row.perSecond}/s p50 ${row.p50} ms p95 ${row.p95} ms`);
  return { ...row, latencies, seconds: wall };
}

/** Peak and current RSS of a process from /proc (Linux); the peak can be reset per phase. */
export class RssProbe {
  constructor(private readonly pid: number) {}

  private async field(name: string): Promise<number> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return Number(match?.[1] ?? 0) * 1024;
  }

  current = () => this.field('VmRSS');
  peak = () => this.field('VmHWM');

  async resetPeak(): Promise<void> {
    await writeFile(`/proc/${this.pid}/clear_refs`, '5').catch(() => undefined);
  }
}

async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

/** dist/main.js as its own process with the container settings (and `env` on top). */
export async function startService(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['apps/media/dist/main.js'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      ...SERVICE_ENV,
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LATERAL_INTERNAL_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/readyz`);
  return { url, child };
}

export async function stopService(service: { child: ChildProcess }): Promise<void> {
  service.child.kill('SIGTERM');
  await new Promise((r) => service.child.once('exit', r));
}

export function uploader(url: string) {
  return async (bytes: Buffer, name: string): Promise<{ id: string; width: number }> => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    const res = await fetch(`${url}/api/v1/media`, {
      method: 'POST',
      body: form,
      headers: {
        [IDENTITY_HEADER]: signIdentity(
          { userId: 'bench', name: 'bench', role: 'editor' },
          SECRET,
          {
            method: 'POST',
            path: '/api/v1/media',
            body: STREAMED_BODY,
          },
        ),
      },
    });
    const body = (await res.json()) as { id: string; width: number };
    if (res.status !== 201)
      throw new Error(`upload answered ${res.status}: ${JSON.stringify(body)}`);
    return body;
  };
}

/** GETs a path as a reader; the whole body is read (and dropped). Its length. */
export async function fetchVariant(url: string, path: string): Promise<number> {
  const res = await fetch(`${url}${path}`, {
    headers: {
      [IDENTITY_HEADER]: signIdentity({ userId: 'bench', name: 'bench', role: 'reader' }, SECRET, {
        method: 'GET',
        path,
      }),
    },
  });
  let bytes = 0;
  for await (const chunk of res.body ?? []) bytes += (chunk as Uint8Array).length;
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return bytes;
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` in docs/media.md. */
export async function writeDocsBlock(name: string, text: string): Promise<void> {
  const docs = await readFile(docsFile, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = docs.indexOf(start);
  const to = docs.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/media.md has no ${start} … ${end} block`);
  await writeFile(docsFile, `${docs.slice(0, from)}${start}\n${text}\n${docs.slice(to)}`);
  log(`figures written to docs/media.md (${name})`);
}
