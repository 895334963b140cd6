/** Thrown by {@link WorkQueue.run} when every slot is busy and the waiting line is full. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

/** Thrown when a job exceeded its time budget; the job itself was told through its signal. */
export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
}

export interface WorkQueueOptions {
  concurrency: number;
  /** Jobs allowed to wait for a slot; one more is refused at once. */
  capacity: number;
  timeoutMs: number;
  onChange?: (state: { depth: number; inFlight: number }) => void;
}

interface Waiting {
  start: () => void;
  reject: (error: Error) => void;
}

/**
 * A concurrency-limited queue with a bounded waiting line. Image work is CPU- and memory-bound:
 * running more at once only adds latency and RSS, and an unbounded line turns a burst into
 * timeouts for everyone, so past `capacity` callers are told to come back later (503).
 *
 * A job that times out is answered at once, but its slot stays taken until the job really ends
 * (libvips stops at its own timeout, a HEIC worker is terminated): capacity never lies.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Waiting[] = [];

  constructor(private readonly options: WorkQueueOptions) {}

  get depth(): number {
    return this.waiting.length;
  }

  get inFlight(): number {
    return this.running;
  }

  get capacity(): number {
    return this.options.capacity;
  }

  /** True when one more job would be refused. */
  get saturated(): boolean {
    return this.running >= this.options.concurrency && this.waiting.length >= this.options.capacity;
  }

  async run<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.capacity) throw new QueueFullError('queue full');
      await new Promise<void>((resolve, reject) => {
        this.waiting.push({ start: resolve, reject });
        this.changed();
      });
    } else {
      this.running++;
      this.changed();
    }
    return this.execute(job);
  }

  private execute<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const work = Promise.resolve()
      .then(() => job(controller.signal))
      .finally(() => this.release());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new JobTimeoutError(`image job exceeded ${this.options.timeoutMs} ms`);
        controller.abort(error);
        reject(error);
      }, this.options.timeoutMs);
    });
    // The losing side of the race must not become an unhandled rejection.
    work.catch(() => undefined);
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
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
