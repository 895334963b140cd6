/** Thrown when every slot is busy and the waiting line is full: the caller should come back later. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

/** Thrown when a job exceeded its time budget; the job itself was told through its signal. */
export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
}

/** Thrown to waiting (and later) jobs once the queue is closed, unless `close` was given a reason. */
export class QueueClosedError extends Error {
  override name = 'QueueClosedError';
}

export interface WorkQueueOptions {
  /** Jobs running at once. */
  concurrency: number;
  /** Jobs allowed to wait for a slot; one more is refused at once. Default: no limit. */
  capacity?: number;
  /** Budget per job, counted from when it gets a slot. Default: none. */
  timeoutMs?: number;
  /** Called whenever the waiting line or the running count changes (metrics). */
  onChange?: (state: { depth: number; inFlight: number }) => void;
}

export interface RunOptions {
  /** Aborting it takes a waiting job out of the line, or aborts a running job's own signal. */
  signal?: AbortSignal;
}

interface Waiting {
  start: () => void;
  reject: (error: Error) => void;
}

/**
 * A concurrency-limited queue with a bounded waiting line, for CPU- and memory-bound work:
 * running more at once only adds latency and RSS, and an unbounded line turns a burst into
 * timeouts for everyone, so past `capacity` callers are told to come back later (503).
 *
 * A job that times out (or whose caller aborts) is answered at once, but its slot stays taken
 * until the job really ends (libvips stops at its own timeout, a worker is terminated): the
 * concurrency limit never lies about how much work is really running.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Waiting[] = [];
  private closedWith: Error | undefined;

  constructor(private readonly options: WorkQueueOptions) {}

  /** Jobs waiting for a slot. */
  get depth(): number {
    return this.waiting.length;
  }

  /** Jobs holding a slot (timed-out ones included until they end). */
  get inFlight(): number {
    return this.running;
  }

  get capacity(): number {
    return this.options.capacity ?? Infinity;
  }

  /** True when one more job would be refused. */
  get saturated(): boolean {
    return this.running >= this.options.concurrency && this.waiting.length >= this.capacity;
  }

  async run<T>(job: (signal: AbortSignal) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const { signal } = options;
    if (this.closedWith) throw this.closedWith;
    signal?.throwIfAborted();
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.capacity) throw new QueueFullError('queue full');
      await this.wait(signal);
    } else {
      this.running++;
      this.changed();
    }
    return this.execute(job, signal);
  }

  /**
   * Refuses new jobs and rejects the waiting ones with `reason`; running jobs are left to end
   * (their owner stops them, e.g. by terminating workers).
   */
  close(reason: Error = new QueueClosedError('queue closed')): void {
    this.closedWith ??= reason;
    for (const waiting of this.waiting.splice(0)) waiting.reject(this.closedWith);
    this.changed();
  }

  /** Resolves when a finishing job hands its slot over (so `running` stays as it is). */
  private wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiting.indexOf(entry);
        if (at !== -1) this.waiting.splice(at, 1);
        this.changed();
        reject(signal?.reason as Error);
      };
      const entry: Waiting = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
      this.changed();
    });
  }

  private execute<T>(
    job: (signal: AbortSignal) => Promise<T>,
    callerSignal: AbortSignal | undefined,
  ): Promise<T> {
    const controller = new AbortController();
    const work = Promise.resolve()
      .then(() => job(controller.signal))
      .finally(() => this.release());
    // The losing side of the race must not become an unhandled rejection.
    work.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    let onCallerAbort: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      const stop = (error: Error) => {
        controller.abort(error);
        reject(error);
      };
      if (this.options.timeoutMs !== undefined) {
        const timeoutMs = this.options.timeoutMs;
        timer = setTimeout(
          () => stop(new JobTimeoutError(`job exceeded ${timeoutMs} ms`)),
          timeoutMs,
        );
      }
      if (callerSignal) {
        onCallerAbort = () => stop(callerSignal.reason as Error);
        if (callerSignal.aborted) onCallerAbort();
        else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
      }
    });
    return Promise.race([work, stopped]).finally(() => {
      clearTimeout(timer);
      if (onCallerAbort) callerSignal?.removeEventListener('abort', onCallerAbort);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.running--;
    this.changed();
  }

  private changed(): void {
    this.options.onChange?.({ depth: this.waiting.length, inFlight: this.running });
  }
}
