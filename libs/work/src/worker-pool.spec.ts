import { afterEach, describe, expect, it } from 'vitest';
import { JobTimeoutError, QueueFullError } from './work-queue.js';
import { WorkerError, WorkerPool, type WorkerPoolOptions } from './worker-pool.js';

type Task = { op: 'echo' | 'spin' | 'throw' | 'exit' | 'sum'; value: string; bytes?: ArrayBuffer };

/**
 * A stand-in worker speaking the pool's protocol: echoes, spins for ever, throws, exits, or
 * sums a transferred buffer; every answer names the thread, so tests see which worker ran it.
 */
const WORKER = () => ({
  filename: `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ id, task }) => {
  if (task.op === 'spin') for (;;);
  if (task.op === 'exit') process.exit(3);
  if (task.op === 'throw') return parentPort.postMessage({ id, error: 'bad ' + task.value });
  const sum = task.bytes ? new Uint8Array(task.bytes).reduce((a, b) => a + b, 0) : 0;
  parentPort.postMessage({ id, result: task.value + '@' + threadId + (task.bytes ? ':' + sum : '') });
});`,
  options: { eval: true },
});

const pools: WorkerPool<Task, string>[] = [];
function pool(options: Partial<WorkerPoolOptions> = {}) {
  const created = new WorkerPool<Task, string>({ size: 1, worker: WORKER, ...options });
  pools.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

const echo = (value: string): Task => ({ op: 'echo', value });
const thread = (answer: string) => answer.split('@')[1];

describe('WorkerPool', () => {
  it('starts workers only when needed and reuses an idle one', async () => {
    const workers = pool({ size: 2 });
    expect(workers.spawned).toBe(0);
    const first = await workers.run(echo('a'));
    const second = await workers.run(echo('b'));
    expect(first).toMatch(/^a@/);
    expect(thread(second)).toBe(thread(first));
    expect(workers.spawned).toBe(1);
    await Promise.all([workers.run(echo('c')), workers.run(echo('d'))]);
    expect(workers.spawned).toBe(2);
  });

  it('moves transferred buffers to the worker', async () => {
    const bytes = new Uint8Array([1, 2, 3]).buffer;
    const answer = await pool().run({ op: 'sum', value: 's', bytes }, { transfer: [bytes] });
    expect(answer).toMatch(/:6$/);
    expect(bytes.byteLength).toBe(0);
  });

  it('refuses at once when every worker is busy and the line is full', async () => {
    const workers = pool({ capacity: 1, timeoutMs: 1_000 });
    const running = workers.run({ op: 'spin', value: '' });
    const waiting = workers.run(echo('waits'));
    expect(workers.saturated).toBe(true);
    await expect(workers.run(echo('refused'))).rejects.toBeInstanceOf(QueueFullError);
    await expect(running).rejects.toBeInstanceOf(JobTimeoutError);
    await expect(waiting).resolves.toMatch(/^waits@/);
  });

  it('stops a task over its budget by terminating its worker; the next task gets a fresh one', async () => {
    const workers = pool({ timeoutMs: 200 });
    const started = performance.now();
    await expect(workers.run({ op: 'spin', value: '' })).rejects.toBeInstanceOf(JobTimeoutError);
    expect(performance.now() - started).toBeLessThan(3_000);
    await expect(workers.run(echo('next'))).resolves.toMatch(/^next@/);
    expect(workers.spawned).toBe(2);
  });

  it("terminates the worker when the caller's signal aborts, and drops aborted waiting tasks", async () => {
    const workers = pool();
    const controller = new AbortController();
    const spinning = workers.run({ op: 'spin', value: '' }, { signal: controller.signal });
    const waiting = new AbortController();
    const dropped = workers.run(echo('dropped'), { signal: waiting.signal });
    waiting.abort(new Error('caller gone'));
    await expect(dropped).rejects.toThrow('caller gone');
    setTimeout(() => controller.abort(new Error('budget spent')), 20);
    await expect(spinning).rejects.toThrow('budget spent');
    await expect(workers.run(echo('after'))).resolves.toMatch(/^after@/);
    expect(workers.spawned).toBe(2);
  });

  it('replaces a worker after `recycleAfter` tasks', async () => {
    const workers = pool({ recycleAfter: 2 });
    const answers = [];
    for (const value of ['a', 'b', 'c', 'd', 'e']) answers.push(await workers.run(echo(value)));
    const threads = answers.map(thread);
    expect(threads[0]).toBe(threads[1]);
    expect(threads[2]).not.toBe(threads[1]);
    expect(threads[2]).toBe(threads[3]);
    expect(threads[4]).not.toBe(threads[3]);
    expect(workers.spawned).toBe(3);
  });

  it('fails only the task whose worker threw or died', async () => {
    const workers = pool({ size: 2 });
    const [thrown, died, fine] = await Promise.allSettled([
      workers.run({ op: 'throw', value: 'input' }),
      workers.run({ op: 'exit', value: '' }),
      workers.run(echo('fine')),
    ]);
    expect(thrown).toMatchObject({ status: 'rejected', reason: new WorkerError('bad input') });
    expect(died.status === 'rejected' && String(died.reason)).toBe(
      'WorkerError: worker failed: exited (3)',
    );
    expect(fine).toMatchObject({ status: 'fulfilled' });
    await expect(workers.run(echo('again'))).resolves.toMatch(/^again@/);
  });

  it('rejects running, waiting and later tasks when closed', async () => {
    const workers = pool();
    const outcomes = Promise.allSettled([
      workers.run({ op: 'spin', value: '' }),
      workers.run(echo('waiting')),
    ]);
    await workers.close();
    const reasons = (await outcomes).map((o) => o.status === 'rejected' && String(o.reason));
    expect(reasons).toEqual(['WorkerError: pool closed', 'WorkerError: pool closed']);
    await expect(workers.run(echo('later'))).rejects.toBeInstanceOf(WorkerError);
  });
});
