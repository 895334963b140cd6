import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Every worker is busy and the waiting line is full: the caller should come back later. */
export class TextPoolFullError extends Error {
  override name = 'TextPoolFullError';
}

/** A task ran past its budget; its worker was terminated (the only way to stop it). */
export class TextTaskTimeoutError extends Error {
  override name = 'TextTaskTimeoutError';
}

/** The task threw in the worker, the worker died, or the pool was closed. */
export class TextWorkerError extends Error {
  override name = 'TextWorkerError';
}

export interface TextWorkerPoolOptions {
  /** Worker threads at most; each is started on first use. */
  size: number;
  /** Tasks allowed to wait for a worker; one more is refused at once. */
  queueCapacity: number;
  /** Budget per task, counted from when a worker takes it. */
  timeoutMs: number;
  /** How one worker is started (a script, or eval'd source); asked on first use. */
  worker: () => { filename: string | URL; options?: WorkerOptions };
}

interface Task {
  name: string;
  input: unknown;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task?: Task & { id: number; timer: NodeJS.Timeout };
}

/** What a worker answers: `{ id, result }` or `{ id, error }`. */
export interface TextWorkerReply {
  id: number;
  result?: unknown;
  error?: string;
}

/** What a worker is sent: run task `name` on `input`. */
export interface TextWorkerRequest {
  id: number;
  name: string;
  input: unknown;
}

/**
 * Worker threads for CPU-bound text work (diffs, very large markdown renders), shaped like
 * media's HEIC pool: workers start on demand, a task over its budget terminates its worker
 * (the next task gets a fresh one), a crashed worker fails only its own task. Unlike it, the
 * waiting line is bounded: past `queueCapacity` a task is refused at once, because a burst of
 * hostile pages must turn into quick 503s rather than a line that times everyone out.
 */
export class TextWorkerPool {
  private readonly slots: (Slot | undefined)[];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers started so far (replacements after a timeout or crash show up here). */
  spawned = 0;

  constructor(private readonly options: TextWorkerPoolOptions) {
    this.slots = Array.from({ length: options.size }, () => undefined);
  }

  run<T>(name: string, input: unknown): Promise<T> {
    if (this.closed) return Promise.reject(new TextWorkerError('text worker pool is closed'));
    const idle = this.slots.some((slot) => !slot?.task);
    if (!idle && this.queue.length >= this.options.queueCapacity)
      return Promise.reject(new TextPoolFullError('text worker queue is full'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ name, input, resolve: resolve as (result: unknown) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new TextWorkerError('pool closed'));
    await Promise.all(
      this.slots.map(async (slot, index) => {
        if (!slot) return;
        this.slots[index] = undefined;
        if (slot.task) {
          clearTimeout(slot.task.timer);
          slot.task.reject(new TextWorkerError('pool closed'));
        }
        await slot.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    for (let i = 0; i < this.slots.length && this.queue.length; i++) {
      if (this.slots[i]?.task) continue;
      this.start(i, this.queue.shift()!);
    }
  }

  private spawn(index: number): Slot {
    const { filename, options } = this.options.worker();
    const worker = new Worker(filename, options);
    const slot: Slot = { worker };
    this.spawned++;
    worker.on('message', (reply: TextWorkerReply) => this.onReply(slot, reply));
    worker.on('error', (error) => this.onCrash(index, slot, error));
    worker.on('exit', (code) => this.onCrash(index, slot, new Error(`exited (${code})`)));
    // An idle worker must not keep the process alive (tests, shutdown).
    worker.unref();
    this.slots[index] = slot;
    return slot;
  }

  private start(index: number, task: Task): void {
    const slot = this.slots[index] ?? this.spawn(index);
    const id = this.nextId++;
    const timer = setTimeout(() => {
      this.retire(index, slot);
      task.reject(new TextTaskTimeoutError(`${task.name} exceeded ${this.options.timeoutMs} ms`));
      this.dispatch();
    }, this.options.timeoutMs);
    slot.task = { ...task, id, timer };
    const request: TextWorkerRequest = { id, name: task.name, input: task.input };
    slot.worker.postMessage(request);
  }

  private onReply(slot: Slot, reply: TextWorkerReply): void {
    const task = slot.task;
    if (!task || task.id !== reply.id) return;
    slot.task = undefined;
    clearTimeout(task.timer);
    if (reply.error !== undefined) task.reject(new TextWorkerError(reply.error));
    else task.resolve(reply.result);
    this.dispatch();
  }

  private onCrash(index: number, slot: Slot, error: Error): void {
    if (this.slots[index] !== slot) return;
    this.slots[index] = undefined;
    const task = slot.task;
    slot.task = undefined;
    if (task) {
      clearTimeout(task.timer);
      task.reject(new TextWorkerError(`text worker failed: ${error.message}`));
    }
    if (!this.closed) this.dispatch();
  }

  /** Takes the worker out of service; the next task gets a fresh one. */
  private retire(index: number, slot: Slot): void {
    if (this.slots[index] === slot) this.slots[index] = undefined;
    slot.task = undefined;
    void slot.worker.terminate();
  }
}
