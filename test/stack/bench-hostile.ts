/**
 * `npm run bench:hostile`: the worst event-loop delay of each service while it handles the
 * hostile corpus (test/stack/hostile-corpus.ts), one request at a time through the whole stack.
 * The delay is the services' own `perf_hooks.monitorEventLoopDelay` histogram, exported by
 * prom-client as `nodejs_eventloop_lag_max_seconds` and reset at every scrape: a scrape before
 * each case starts a fresh window, a scrape after reads its maximum. Target (issue #10): under
 * 100 ms for every case and service. Writes bench-results/hostile.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WikiClient } from './client.js';
import { HOSTILE_CORPUS } from './hostile-corpus.js';
import { ROOT, type ServiceName } from './service-process.js';
import { Stack } from './stack.js';

const TARGET_MS = 100;

async function maxLagMs(stack: Stack): Promise<Record<ServiceName, number>> {
  const out = {} as Record<ServiceName, number>;
  for (const [service, replicas] of Object.entries(stack.replicas) as [
    ServiceName,
    Stack['replicas'][ServiceName],
  ][]) {
    let worst = 0;
    for (const replica of replicas) {
      const text = await (await fetch(replica.metricsUrl)).text();
      const line = text.split('\n').find((l) => l.startsWith('nodejs_eventloop_lag_max_seconds'));
      worst = Math.max(worst, Number(line?.split(' ').pop() ?? 0) * 1000);
    }
    out[service] = Math.round(worst * 10) / 10;
  }
  return out;
}

async function main(): Promise<void> {
  const stack = await Stack.start({
    env: { gateway: { IMPORT_MAX_UNCOMPRESSED_BYTES: String(64 * 1024 * 1024) } },
  });
  const client = new WikiClient(stack.gatewayUrl, undefined, 2);
  const rows: { name: string; status: number; ms: number; lagMs: Record<ServiceName, number> }[] =
    [];
  try {
    for (const hostile of HOSTILE_CORPUS) {
      hostile.prepare?.();
      await maxLagMs(stack); // starts a fresh window
      const start = performance.now();
      const reply = await hostile.send(client);
      const ms = Math.round(performance.now() - start);
      const lagMs = await maxLagMs(stack);
      rows.push({ name: hostile.name, status: reply.status, ms, lagMs });
      console.log(
        `${hostile.name}: ${reply.status} in ${ms} ms; worst event-loop delay ` +
          Object.entries(lagMs)
            .map(([s, v]) => `${s} ${v} ms`)
            .join(', '),
      );
    }
    const worst = Math.max(...rows.flatMap((r) => Object.values(r.lagMs)));
    console.log(`worst event-loop delay over the corpus: ${worst} ms (target < ${TARGET_MS} ms)`);
    mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
    writeFileSync(
      join(ROOT, 'bench-results/hostile.json'),
      `${JSON.stringify({ targetMs: TARGET_MS, worstMs: worst, rows }, null, 2)}\n`,
    );
    if (worst >= TARGET_MS) process.exitCode = 1;
  } finally {
    await client.close();
    await stack.stop();
  }
}

await main();
