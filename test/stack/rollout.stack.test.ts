import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WikiClient } from './client.js';
import { SERVICES } from './service-process.js';
import { Stack } from './stack.js';
import { SteadyTraffic, seed } from './workload.js';

describe('a rolling update of every service', () => {
  let stack: Stack;
  let client: WikiClient;

  beforeAll(async () => {
    stack = await Stack.start({ replicas: 2 });
    client = new WikiClient(stack.gatewayUrl, undefined, 8);
  });

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') stack.keepLogs = true;
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  it('replaces each replica in turn under steady traffic without a failed request', async () => {
    const fixtures = await seed(client, 4);
    const traffic = new SteadyTraffic(client, fixtures, 4);
    await new Promise((r) => setTimeout(r, 1000));

    const replaced: string[] = [];
    for (const service of SERVICES) {
      for (const old of [...stack.replicas[service]]) {
        traffic.phase = `replacing ${old.name}`;
        const fresh = await stack.replace(old);
        replaced.push(`${old.name} -> ${fresh.name}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    const outcomes = await traffic.stop();

    expect(replaced).toHaveLength(6);
    expect(outcomes.length).toBeGreaterThan(200);
    const failures = traffic
      .failures()
      .map((f) => `${f.phase}: ${f.op} ${f.status} ${f.error ?? ''}`);
    expect(failures).toEqual([]);
    // Every save the client saw acknowledged is what the page holds now.
    expect(traffic.acknowledged.size).toBe(4);
    expect(await traffic.lostWrites()).toEqual([]);
  });
});
