import { afterEach, describe, expect, it } from 'vitest';
import { DomainException } from '@lateral/http';
import { TEXT_WORK_LIMITS, TextWorkService, type TextWorkLimits } from './text-work.service.js';

/** Sends everything to the workers, however small. */
const ALWAYS_IN_WORKER: TextWorkLimits = {
  ...TEXT_WORK_LIMITS,
  diffInlineMaxChars: -1,
  markdownInlineMaxChars: -1,
};

/** A stand-in worker: answers at once, or spins for ever when the diff's `before` is "spin". */
const SPIN_WORKER = () => ({
  filename: `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, task }) => {
  if (task.input.before === 'spin') for (;;);
  parentPort.postMessage({ id, result: 'done:' + task.input.before });
});`,
  options: { eval: true },
});

const labels = { before: 'v1', after: 'v2' };
const services: TextWorkService[] = [];
const service = (...args: ConstructorParameters<typeof TextWorkService>) => {
  const created = new TextWorkService(...args);
  services.push(created);
  return created;
};

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.onApplicationShutdown()));
});

async function refusal(work: Promise<unknown>): Promise<DomainException> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainException);
  return error as DomainException;
}

describe('text work in worker threads', () => {
  it('renders markdown in a worker to the same HTML as inline, lookups included', async () => {
    const source = '# Title\n\nSee [[Target]] and [[Nowhere]].\n\n![cat](/api/v1/media/m1)\n';
    const lookup = (found: { wikiTargets: string[]; mediaIds: string[] }) => {
      expect(found).toEqual({ wikiTargets: ['Target', 'Nowhere'], mediaIds: ['m1'] });
      return Promise.resolve({
        wikiTargets: new Map([['target', { slug: 'target' }]]),
        media: new Map([['m1', { width: 800, height: 600, thumbhash: null }]]),
      });
    };
    const pooled = service(ALWAYS_IN_WORKER);
    const inWorker = await pooled.markdown(source, lookup);
    expect(pooled.workersStarted).toBe(1);
    const inline = service();
    expect(inWorker.toString()).toBe((await inline.markdown(source, lookup)).toString());
    expect(inline.workersStarted).toBe(0);
    expect(inWorker.toString()).toContain('href="/notes/target"');
  });

  it('gives the same diff from a worker as inline', async () => {
    const pooled = service(ALWAYS_IN_WORKER);
    const inWorker = await pooled.diff('the quick fox\n', 'the slow fox\n', labels);
    const inline = await service().diff('the quick fox\n', 'the slow fox\n', labels);
    expect(inWorker.toString()).toBe(inline.toString());
    expect(inWorker.toString()).toContain('<del>quick</del>');
  });

  it('answers 503 with Retry-After when every worker is busy and the line is full', async () => {
    const busy = service(
      { ...ALWAYS_IN_WORKER, workers: 1, queueCapacity: 1, taskTimeoutMs: 1_000 },
      SPIN_WORKER,
    );
    const running = busy.diff('spin', '', labels);
    const waiting = busy.diff('spin', '', labels);
    const refused = await refusal(busy.diff('x', '', labels));
    expect(refused.code).toBe('service_unavailable');
    expect(refused.headers).toEqual({ 'retry-after': String(TEXT_WORK_LIMITS.retryAfterSeconds) });
    await Promise.allSettled([running, waiting]);
  });

  it('stops a task over its budget and serves the next one with a fresh worker', async () => {
    const limited = service({ ...ALWAYS_IN_WORKER, workers: 1, taskTimeoutMs: 300 }, SPIN_WORKER);
    const started = performance.now();
    const timedOut = await refusal(limited.diff('spin', '', labels));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(timedOut.code).toBe('service_unavailable');
    expect(timedOut.message).toContain('took longer than');
    expect((await limited.diff('next', '', labels)).toString()).toBe('done:next');
    expect(limited.workersStarted).toBe(2);
  });

  it('fails waiting work when the app shuts down', async () => {
    const closing = service({ ...ALWAYS_IN_WORKER, workers: 1 }, SPIN_WORKER);
    const outcomes = Promise.allSettled([
      closing.diff('spin', '', labels),
      closing.diff('x', '', labels),
    ]);
    await closing.onApplicationShutdown();
    const reasons = (await outcomes).map((o) => o.status === 'rejected' && String(o.reason));
    expect(reasons).toEqual(['WorkerError: pool closed', 'WorkerError: pool closed']);
  });
});
