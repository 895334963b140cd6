import { describe, expect, it } from 'vitest';
import { JobTimeoutError, QueueFullError, WorkQueue } from './work-queue.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('WorkQueue', () => {
  it('runs at most `concurrency` jobs and refuses past the waiting capacity', async () => {
    const queue = new WorkQueue({ concurrency: 1, capacity: 1, timeoutMs: 5000 });
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
    await new Promise((r) => setTimeout(r, 0));
    await expect(queue.run(() => Promise.resolve(2))).resolves.toBe(2);
  });

  it('frees the slot when a job fails', async () => {
    const queue = new WorkQueue({ concurrency: 1, capacity: 0, timeoutMs: 1000 });
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
