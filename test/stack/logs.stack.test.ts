import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WikiClient, expectStatus, samplePng } from './client.js';
import { SERVICES, type LogLine, type ServiceName } from './service-process.js';
import { ADMIN_PASSWORD, BOOTSTRAP_TOKEN, SESSION_SECRET, Stack } from './stack.js';

/**
 * The lines a service wrote when it answered requests with this id. A service logs after the
 * reply is sent, so the line may arrive a moment after the client has its answer.
 */
async function requestLines(
  stack: Stack,
  service: ServiceName,
  requestId: string,
): Promise<LogLine[]> {
  const find = () =>
    stack.logs(service).filter((l) => l.requestId === requestId && l.msg === 'request completed');
  const deadline = Date.now() + 2000;
  while (find().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return find();
}

describe('logs across the stack', () => {
  let stack: Stack;
  let client: WikiClient;

  beforeAll(async () => {
    stack = await Stack.start();
    client = new WikiClient(stack.gatewayUrl);
  });

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') stack.keepLogs = true;
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  it('follows one page save through gateway and notes by its request id', async () => {
    const requestId = `save-${randomUUID()}`;
    const note = await client.createNote('Deploy checklist', 'Step one.', ['ops'], requestId);

    const [gateway] = await requestLines(stack, 'gateway', requestId);
    expect(gateway).toMatchObject({
      service: 'gateway',
      level: 'info',
      method: 'POST',
      route: '/api/v1/notes',
      statusCode: 201,
      userId: expect.any(String),
    });
    expect(gateway?.durationMs).toBeGreaterThan(0);
    const [notes] = await requestLines(stack, 'notes', requestId);
    expect(notes).toMatchObject({
      service: 'notes',
      method: 'POST',
      route: '/api/v1/notes',
      statusCode: 201,
      // The same person in every service's line: notes reads it from the signed identity.
      userId: gateway?.userId,
    });
    expect(notes?.durationMs).toBeGreaterThan(0);
    expect(note.slug).toBeTruthy();
  });

  it('follows an image upload through gateway and media by its request id', async () => {
    const requestId = `upload-${randomUUID()}`;
    await client.uploadImage(await samplePng(), requestId);
    expect(await requestLines(stack, 'gateway', requestId)).toHaveLength(1);
    const [gateway] = await requestLines(stack, 'gateway', requestId);
    expect((await requestLines(stack, 'media', requestId))[0]).toMatchObject({
      service: 'media',
      statusCode: 201,
      userId: gateway?.userId,
    });
    expect(gateway?.userId).toEqual(expect.any(String));
  });

  it('gives a request without an id a fresh one and returns it to the caller', async () => {
    const res = await client.call('GET', '/api/v1/tags');
    expectStatus(res, 200, 'tags');
    const requestId = String(res.headers['x-request-id']);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await requestLines(stack, 'gateway', requestId)).toHaveLength(1);
    expect(await requestLines(stack, 'notes', requestId)).toHaveLength(1);
  });

  it('never writes passwords, tokens, cookies or the session secret', async () => {
    const login = await client.call('POST', '/login', {
      json: { email: 'admin@stack.test', password: ADMIN_PASSWORD },
    });
    expectStatus(login, 200, 'login');
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const sessionValue = cookie.split('=')[1] ?? '';
    expect(sessionValue.length).toBeGreaterThan(10);
    // Used once so that a cookie-logging bug would have something to log.
    await client.call('GET', '/api/v1/session', {});
    await client.call('POST', '/login', {
      json: { email: 'admin@stack.test', password: 'a wrong password 123' },
    });

    const everything = SERVICES.flatMap((s) => stack.logs(s))
      .map((l) => JSON.stringify(l))
      .join('\n');
    for (const secret of [
      BOOTSTRAP_TOKEN,
      ADMIN_PASSWORD,
      'a wrong password 123',
      SESSION_SECRET,
      sessionValue,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('does not log probes or metric scrapes', async () => {
    // The load balancers probe /readyz every 200 ms; add liveness probes and a scrape.
    for (const replica of Object.values(stack.replicas).flat()) {
      await fetch(`${replica.url}/healthz`).then((r) => r.body?.cancel());
      await fetch(replica.metricsUrl).then((r) => r.body?.cancel());
    }
    for (const service of SERVICES) {
      const noisy = stack
        .logs(service)
        .filter((l) => ['/healthz', '/readyz', '/metrics'].includes(String(l.route ?? l.path)));
      expect(noisy, service).toEqual([]);
    }
  });
});
