// autocannon ships no types; its declarations are apps/notes/bench/autocannon.d.ts, which the
// root tsconfig.json (apps/*/bench) type-checks this folder with.
import autocannon from 'autocannon';
import { cpuSeconds } from './services.js';

export interface Measured {
  requests: number;
  seconds: number;
  non2xx: number;
  errors: number;
  /** Every response's latency (ms), as autocannon timed it. */
  latencies: number[];
  /** CPU seconds each watched process used during the run. */
  cpu: { gateway: number; notes: number };
}

export interface Summary {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  failures: number;
  /** CPU ms per request in the gateway's and notes' processes (PostgreSQL's not counted). */
  cpuMs: { gateway: number; notes: number };
}

/**
 * One autocannon run: `connections` keep-alive connections in a closed loop for `seconds`,
 * each request built by `next()` (a different page or word every time, so no cache in the
 * path can answer a repeat).
 */
export async function measure(
  url: string,
  connections: number,
  seconds: number,
  next: () => { path: string; headers: Record<string, string> },
  pids: { gateway?: number; notes?: number } = {},
): Promise<Measured> {
  const cpuBefore = { gateway: cpuSeconds(pids.gateway), notes: cpuSeconds(pids.notes) };
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, ...next() }) }],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => {
    latencies.push(time);
  });
  const result = await instance;
  return {
    cpu: {
      gateway: cpuSeconds(pids.gateway) - cpuBefore.gateway,
      notes: cpuSeconds(pids.notes) - cpuBefore.notes,
    },
    requests: latencies.length,
    seconds: result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    latencies,
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Pools several runs of the same request (the rounds) into one line of the report. */
export function summarize(runs: Measured[]): Summary {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  return {
    rps: all.length / seconds,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    requests: all.length,
    failures: runs.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    cpuMs: {
      gateway: (runs.reduce((sum, r) => sum + r.cpu.gateway, 0) * 1000) / all.length,
      notes: (runs.reduce((sum, r) => sum + r.cpu.notes, 0) * 1000) / all.length,
    },
  };
}
