import { Worker, type Transferable, type WorkerOptions } from 'node:worker_threads';
import { WorkQueue } from './work-queue.js';

/** The task threw in the worker, the worker died, or the pool was closed. */
export class WorkerError extends Error {
  override name = 'WorkerError';
}

/** What a worker is sent: one task, with an id to echo back. */
export interface WorkerRequest<Task> {
  id: number;
  task: Task;
}

/** What a worker answers to a {@link WorkerRequest}: its result, or the message of what it threw. */
export type WorkerReply<Result> = { id: number; result: Result } | { id: number; error: string };

export interface WorkerPoolOptions {
  /** Worker threads at most; each is started on first use. */
  size: number;
  /** Tasks allowed to wait for a worker; one more is refused at once. Default: no limit. */
  capacity?: number;
  /** Budget per task, counted from when a worker takes it; past it the worker is terminated. */
  timeoutMs?: number;
  /** Tasks a worker runs before it is replaced (a WebAssembly heap grows but never shrinks). */
  recycleAfter?: number;
  /** How one worker is started (a script URL, or eval'd source); asked for every new worker. */
  worker: () => { filename: string | URL; options?: WorkerOptions };
  /** Called whenever the waiting line or the busy count changes (metrics). */
  onChange?: (state: { depth: number; inFlight: number }) => void;
}

export interface WorkerRunOptions {
  /** Aborting it drops a waiting task, or terminates the worker running it. */
  signal?: AbortSignal;
  /** Buffers moved (not copied) to the worker with the task. */
  transfer?: readonly Transferable[];
}

interface Running {
  id: number;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

interface PooledWorker {
  thread: Worker;
  used: number;
  retired: boolean;
  task?: Running;
}

/**
 * Worker threads for CPU-bound work that must never run on the event loop. Admission is a
 * {@link WorkQueue} (at most `size` tasks at once, a bounded waiting line, the per-task budget),
 * so a full pool refuses with `QueueFullError` and a task over its budget fails with
 * `JobTimeoutError`. Workers start on demand; a task over its budget or aborted terminates its
 * worker (the only way to stop synchronous work) and the next task gets a fresh one; a worker is
 * replaced after `recycleAfter` tasks; a crashed worker fails only its own task.
 *
 * The worker script answers each `{ id, task }` message with `{ id, result }` or `{ id, error }`
 * ({@link WorkerRequest}, {@link WorkerReply}); it needs nothing from this package at run time.
 */
export class WorkerPool<Task, Result> {
  private readonly queue: WorkQueue;
  private readonly idle: PooledWorker[] = [];
  private readonly busy = new Set<PooledWorker>();
  private nextId = 1;
  private closed = false;
  private started = 0;

  constructor(private readonly options: WorkerPoolOptions) {
    this.queue = new WorkQueue({
      concurrency: options.size,
      capacity: options.capacity,
      timeoutMs: options.timeoutMs,
      onChange: options.onChange,
    });
  }

  /** Workers started so far (replacements after a timeout, crash or recycle show up here). */
  get spawned(): number {
    return this.started;
  }

  /** Tasks waiting for a worker. */
  get depth(): number {
    return this.queue.depth;
  }

  /** Tasks holding a worker. */
  get inFlight(): number {
    return this.queue.inFlight;
  }

  /** True when one more task would be refused. */
  get saturated(): boolean {
    return this.queue.saturated;
  }

  run(task: Task, options: WorkerRunOptions = {}): Promise<Result> {
    if (this.closed) return Promise.reject(new WorkerError('pool closed'));
    return this.queue.run((signal) => this.onWorker(task, options.transfer, signal), {
      signal: options.signal,
    });
  }

  /** Rejects waiting and running tasks and terminates every worker. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.close(new WorkerError('pool closed'));
    const workers = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    await Promise.all(
      workers.map(async (worker) => {
        worker.retired = true;
        worker.task?.reject(new WorkerError('pool closed'));
        worker.task = undefined;
        await worker.thread.terminate();
      }),
    );
  }

  /** Runs inside a queue slot, so at most `size` of these run and a worker is free or startable. */
  private onWorker(
    task: Task,
    transfer: readonly Transferable[] | undefined,
    signal: AbortSignal,
  ): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      // The queue starts a job a microtask after admitting it; close() may have come between.
      if (this.closed) return reject(new WorkerError('pool closed'));
      const worker = this.idle.pop() ?? this.spawn();
      const onAbort = () => {
        this.retire(worker);
        reject(signal.reason as Error);
      };
      const settle =
        <A>(then: (value: A) => void) =>
        (value: A) => {
          signal.removeEventListener('abort', onAbort);
          then(value);
        };
      const id = this.nextId++;
      worker.task = {
        id,
        resolve: settle(resolve as (r: unknown) => void),
        reject: settle(reject),
      };
      worker.used++;
      this.busy.add(worker);
      signal.addEventListener('abort', onAbort, { once: true });
      worker.thread.ref();
      const request: WorkerRequest<Task> = { id, task };
      try {
        worker.thread.postMessage(request, transfer);
      } catch (error) {
        // A task that cannot be cloned never reached the worker, which stays usable.
        worker.task = undefined;
        this.busy.delete(worker);
        worker.thread.unref();
        this.idle.push(worker);
        settle(reject)(error);
      }
    });
  }

  private spawn(): PooledWorker {
    const { filename, options } = this.options.worker();
    const worker: PooledWorker = { thread: new Worker(filename, options), used: 0, retired: false };
    this.started++;
    worker.thread.on('message', (reply: WorkerReply<Result>) => this.onReply(worker, reply));
    worker.thread.on('error', (error) => this.onCrash(worker, error));
    worker.thread.on('exit', (code) => this.onCrash(worker, new Error(`exited (${code})`)));
    return worker;
  }

  private onReply(worker: PooledWorker, reply: WorkerReply<Result>): void {
    const task = worker.task;
    if (worker.retired || !task || task.id !== reply.id) return;
    worker.task = undefined;
    this.busy.delete(worker);
    if (worker.used >= (this.options.recycleAfter ?? Infinity)) this.retire(worker);
    else {
      // An idle worker must not keep the process alive (tests, shutdown).
      worker.thread.unref();
      this.idle.push(worker);
    }
    if ('error' in reply) task.reject(new WorkerError(reply.error));
    else task.resolve(reply.result);
  }

  private onCrash(worker: PooledWorker, error: Error): void {
    if (worker.retired) return;
    const task = worker.task;
    this.retire(worker);
    task?.reject(new WorkerError(`worker failed: ${error.message}`));
  }

  /** Takes the worker out of service; the next task gets a fresh one. */
  private retire(worker: PooledWorker): void {
    worker.retired = true;
    worker.task = undefined;
    this.busy.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at !== -1) this.idle.splice(at, 1);
    void worker.thread.terminate();
  }
}
