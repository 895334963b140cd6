import { describe, expect, it } from 'vitest';
import { JobTimeoutError, QueueClosedError, QueueFullError, WorkQueue } from './work-queue.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('WorkQueue', () => {
  it('runs at most `concurrency` jobs and refuses past the waiting capacity', async () => {
    const states: string[] = [];
    const queue = new WorkQueue({
      concurrency: 1,
      capacity: 1,
      timeoutMs: 5000,
      onChange: ({ depth, inFlight }) => states.push(`${inFlight}/${depth}`),
    });
    const g = gate();
    const order: string[] = [];
    const first = queue.run(async () => {
      await g.opened;
      order.push('first');
    });
    const second = queue.run(() => {
      order.push('second');
      return Promise.resolve();
    });
    expect(queue.inFlight).toBe(1);
    expect(queue.depth).toBe(1);
    expect(queue.saturated).toBe(true);
    await expect(queue.run(() => Promise.resolve('third'))).rejects.toBeInstanceOf(QueueFullError);
    g.open();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    expect(queue.inFlight).toBe(0);
    expect(queue.saturated).toBe(false);
    expect(states).toEqual(['1/0', '1/1', '1/0', '0/0']);
  });

  it('times a job out, aborts its signal, and keeps the slot until it really ends', async () => {
    const queue = new WorkQueue({ concurrency: 1, capacity: 0, timeoutMs: 20 });
    const g = gate();
    let aborted = false;
    const slow = queue.run(async (signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      await g.opened;
    });
    await expect(slow).rejects.toBeInstanceOf(JobTimeoutError);
    expect(aborted).toBe(true);
    await expect(queue.run(() => Promise.resolve(1))).rejects.toBeInstanceOf(QueueFullError);
    g.open();
    await tick();
    await expect(queue.run(() => Promise.resolve(2))).resolves.toBe(2);
  });

  it('frees the slot when a job fails', async () => {
    const queue = new WorkQueue({ concurrency: 1, capacity: 0, timeoutMs: 1000 });
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('without a budget or a capacity, lets every job wait and finish however long it takes', async () => {
    const queue = new WorkQueue({ concurrency: 1 });
    const g = gate();
    const jobs = [1, 2, 3, 4].map((n) =>
      queue.run(async () => {
        await g.opened;
        return n;
      }),
    );
    expect(queue.depth).toBe(3);
    expect(queue.saturated).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 30));
    g.open();
    await expect(Promise.all(jobs)).resolves.toEqual([1, 2, 3, 4]);
  });

  it("takes a waiting job out of the line when its caller aborts, and aborts a running job's signal", async () => {
    const queue = new WorkQueue({ concurrency: 1, capacity: 1 });
    const g = gate();
    const running = new AbortController();
    let jobSignal: AbortSignal | undefined;
    const first = queue.run(
      async (signal) => {
        jobSignal = signal;
        await g.opened;
      },
      { signal: running.signal },
    );
    const waiting = new AbortController();
    const second = queue.run(() => Promise.resolve('never'), { signal: waiting.signal });
    waiting.abort(new Error('caller gone'));
    await expect(second).rejects.toThrow('caller gone');
    expect(queue.depth).toBe(0);

    running.abort(new Error('budget spent'));
    await expect(first).rejects.toThrow('budget spent');
    expect(jobSignal?.aborted).toBe(true);
    expect(queue.inFlight).toBe(1);
    g.open();
    await tick();
    expect(queue.inFlight).toBe(0);
    const aborted = AbortSignal.abort(new Error('already'));
    await expect(queue.run(() => Promise.resolve(1), { signal: aborted })).rejects.toThrow(
      'already',
    );
  });

  it('rejects waiting and later jobs once closed, and lets running ones end', async () => {
    const queue = new WorkQueue({ concurrency: 1 });
    const g = gate();
    const running = queue.run(async () => {
      await g.opened;
      return 'finished';
    });
    const waiting = queue.run(() => Promise.resolve('never'));
    queue.close();
    await expect(waiting).rejects.toBeInstanceOf(QueueClosedError);
    await expect(queue.run(() => Promise.resolve('later'))).rejects.toBeInstanceOf(
      QueueClosedError,
    );
    g.open();
    await expect(running).resolves.toBe('finished');
  });
});
