import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const SERVICES = ['notes', 'media', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const ROOT = join(import.meta.dirname, '../..');
/**
 * Where the services' built dist is taken from: this checkout, or another one's (`npm run bench
 * -- --compare REF` runs a commit's build from its own worktree with the same harness).
 */
export const DIST_ROOT = process.env.LATERAL_DIST_ROOT ?? ROOT;

/** A JSON log line as a service writes it (pino). */
export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export function distEntry(service: ServiceName, file: 'main.js' | 'migrate.js'): string {
  return join(DIST_ROOT, 'apps', service, 'dist', file);
}

export function isBuilt(service: ServiceName): boolean {
  return existsSync(distEntry(service, 'main.js'));
}

/**
 * One replica of a service as its own process from the built dist, as it runs in a container:
 * logs are kept (parsed) for assertions and copied to a file for the post-mortem.
 */
export class ServiceProcess {
  readonly logs: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Milliseconds from the process start to its first /readyz 200 (the benchmark reports it). */
  readyAfterMs: number | undefined;
  private readonly startedAt = performance.now();
  private readonly child: ChildProcess;
  private readonly file: WriteStream;

  constructor(
    readonly service: ServiceName,
    readonly name: string,
    readonly port: number,
    readonly metricsPort: number,
    env: Record<string, string>,
    logDir: string,
  ) {
    this.file = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
    // STACK_CPU_PROFILE_DIR=<dir>: each replica writes a CPU profile there at exit (to see where
    // a benchmark's time goes).
    const profile = process.env.STACK_CPU_PROFILE_DIR
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${process.env.STACK_CPU_PROFILE_DIR}`,
          `--cpu-prof-name=${name}.cpuprofile`,
        ]
      : [];
    this.child = spawn(process.execPath, [...profile, distEntry(service, 'main.js')], {
      cwd: DIST_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.file.write(`${line}\n`);
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.logs.push({ msg: line, level: 'raw' });
        }
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.file.end();
        resolve({ code, signal });
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get metricsUrl(): string {
    return `http://127.0.0.1:${this.metricsPort}/metrics`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once /readyz answers 200; fails fast when the process dies first. */
  async ready(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running)
        throw new Error(`${this.name} exited before it was ready:\n${this.tail()}`);
      try {
        const res = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1000) });
        await res.body?.cancel();
        if (res.ok) {
          this.readyAfterMs ??= performance.now() - this.startedAt;
          return;
        }
      } catch {
        // not listening yet
      }
      // Often enough to measure start-up to within ~20 ms.
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${this.name} was not ready after ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** SIGTERM (as the kubelet sends), then SIGKILL after `graceMs` like terminationGracePeriod. */
  async stop(graceMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }

  tail(lines = 20): string {
    return this.logs
      .slice(-lines)
      .map((l) => JSON.stringify(l))
      .join('\n');
  }
}
