import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WikiClient } from './client.js';
import { startControllablePostgres, type ControllablePostgres } from './postgres.js';
import { type ServiceProcess } from './service-process.js';
import { Stack } from './stack.js';
import { SteadyTraffic, seed } from './workload.js';

async function readiness(replica: ServiceProcess): Promise<number> {
  try {
    const res = await fetch(`${replica.url}/readyz`, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}

/** Milliseconds until `check` holds, polling every 100 ms; fails after `limitMs`. */
async function timeUntil(check: () => Promise<boolean>, limitMs: number): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - start;
}

describe('PostgreSQL stops and comes back under traffic', () => {
  let pg: ControllablePostgres;
  let stack: Stack;
  let client: WikiClient;

  beforeAll(async () => {
    pg = await startControllablePostgres();
    // The balancers keep routing to unready replicas, so the test sees what the services
    // themselves answer during the outage (in a cluster the ingress would answer 503 for them).
    stack = await Stack.start({ adminUrl: pg.adminUrl, routeUnready: true });
    client = new WikiClient(stack.gatewayUrl, undefined, 8);
  });

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') stack.keepLogs = true;
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
    await pg?.destroy();
  });

  it('answers 503 quickly, turns unready, recovers within seconds and loses no saved page', async () => {
    const fixtures = await seed(client, 4);
    const traffic = new SteadyTraffic(client, fixtures, 4, 20);
    await new Promise((r) => setTimeout(r, 1000));
    const replicas = Object.values(stack.replicas).flat();

    traffic.phase = 'outage';
    await pg.stop();
    const unready = await timeUntil(
      async () => (await Promise.all(replicas.map(readiness))).every((s) => s === 503),
      5000,
    );
    await new Promise((r) => setTimeout(r, 4000));

    traffic.phase = 'recovery';
    await pg.start();
    const recovered = await timeUntil(
      async () => (await Promise.all(replicas.map(readiness))).every((s) => s === 200),
      15_000,
    );
    traffic.phase = 'after';
    await new Promise((r) => setTimeout(r, 2000));
    const outcomes = await traffic.stop();

    const during = outcomes.filter((o) => o.phase === 'outage');
    const after = outcomes.filter((o) => o.phase === 'after');
    console.log(
      `unready after ${unready} ms, ready again ${recovered} ms after restart; ` +
        `${during.length} requests during the outage, slowest ${Math.round(
          Math.max(...during.map((o) => o.ms)),
        )} ms`,
    );
    expect(unready).toBeLessThan(3000);
    expect(recovered).toBeLessThan(10_000);
    // During the outage: every request answered, quickly, with a success or a clean 503.
    expect(during.length).toBeGreaterThan(20);
    const bad = during.filter((o) => o.status === 'error' || (o.status >= 300 && o.status !== 503));
    expect(bad.map((o) => `${o.op} ${o.status} ${o.error ?? ''}`)).toEqual([]);
    expect(Math.max(...during.map((o) => o.ms))).toBeLessThan(3000);
    expect(during.some((o) => o.status === 503)).toBe(true);
    // Once ready again, everything works.
    expect(after.length).toBeGreaterThan(10);
    expect(after.filter((o) => o.status !== 200).map((o) => `${o.op} ${o.status}`)).toEqual([]);
    expect(await traffic.lostWrites()).toEqual([]);
  });
});
