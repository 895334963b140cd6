import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { HEIC_WORKER_SOURCE } from './heic-worker-source.js';

export interface DecodedPixels {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  data: Buffer;
}

export class HeicDecodeError extends Error {
  override name = 'HeicDecodeError';
}

interface Task {
  input: Buffer;
  resolve: (pixels: DecodedPixels) => void;
  reject: (error: Error) => void;
  signal?: AbortSignal;
}

interface Slot {
  worker: Worker;
  used: number;
  task?: Task & { id: number; onAbort?: () => void };
}

interface WorkerReply {
  id: number;
  width?: number;
  height?: number;
  data?: ArrayBuffer;
  error?: string;
}

const decoderPath = createRequire(import.meta.url).resolve('heic-decode');

/**
 * HEIC (HEVC) decoding in worker threads: sharp's prebuilt libvips has no HEVC decoder, and
 * heic-decode (libheif compiled to WebAssembly) works synchronously for seconds per photo,
 * which must never happen on the event loop. A worker is replaced after `recycleAfter`
 * images because a WebAssembly heap grows but never shrinks; an aborted decode (timeout)
 * terminates its worker, which is the only way to stop it.
 */
export class HeicPool {
  private readonly slots: (Slot | undefined)[];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers started so far (recycling shows up here). */
  spawned = 0;

  constructor(private readonly options: { size: number; recycleAfter: number }) {
    this.slots = Array.from({ length: options.size }, () => undefined);
  }

  decode(input: Buffer, signal?: AbortSignal): Promise<DecodedPixels> {
    if (this.closed) return Promise.reject(new HeicDecodeError('HEIC pool is closed'));
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject, signal });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new HeicDecodeError('HEIC pool closed'));
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot) await slot.worker.terminate();
      }),
    );
    this.slots.fill(undefined);
  }

  private dispatch(): void {
    for (let i = 0; i < this.slots.length && this.queue.length; i++) {
      const slot = this.slots[i];
      if (slot?.task) continue;
      const task = this.queue.shift();
      if (!task) return;
      if (task.signal?.aborted) {
        task.reject(task.signal.reason as Error);
        i--;
        continue;
      }
      this.start(i, task);
    }
  }

  private spawn(index: number): Slot {
    const worker = new Worker(HEIC_WORKER_SOURCE, { eval: true, workerData: { decoderPath } });
    const slot: Slot = { worker, used: 0 };
    this.spawned++;
    worker.on('message', (reply: WorkerReply) => this.onReply(index, slot, reply));
    worker.on('error', (error) => this.onCrash(index, slot, error));
    worker.on('exit', (code) => {
      if (this.slots[index] === slot)
        this.onCrash(index, slot, new Error(`HEIC worker exited (${code})`));
    });
    this.slots[index] = slot;
    return slot;
  }

  private start(index: number, task: Task): void {
    const slot = this.slots[index] ?? this.spawn(index);
    const id = this.nextId++;
    const running: Slot['task'] = { ...task, id };
    if (task.signal) {
      running.onAbort = () => {
        this.retire(index, slot);
        task.reject(task.signal?.reason as Error);
        this.dispatch();
      };
      task.signal.addEventListener('abort', running.onAbort, { once: true });
    }
    slot.task = running;
    slot.used++;
    // Copy into a transferable buffer: the caller's Buffer may be a slice of a shared pool.
    const input = new Uint8Array(task.input).buffer;
    slot.worker.postMessage({ id, input }, [input]);
  }

  private onReply(index: number, slot: Slot, reply: WorkerReply): void {
    const task = slot.task;
    if (!task || task.id !== reply.id) return;
    slot.task = undefined;
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort);
    if (reply.error !== undefined || !reply.data) {
      task.reject(new HeicDecodeError(reply.error ?? 'HEIC decode failed'));
    } else {
      task.resolve({
        width: reply.width ?? 0,
        height: reply.height ?? 0,
        data: Buffer.from(reply.data),
      });
    }
    if (slot.used >= this.options.recycleAfter) this.retire(index, slot);
    this.dispatch();
  }

  private onCrash(index: number, slot: Slot, error: Error): void {
    if (this.slots[index] !== slot) return;
    this.slots[index] = undefined;
    const task = slot.task;
    slot.task = undefined;
    task?.reject(new HeicDecodeError(`HEIC worker failed: ${error.message}`));
    this.dispatch();
  }

  /** Takes the worker out of service; the next task gets a fresh one. */
  private retire(index: number, slot: Slot): void {
    if (this.slots[index] === slot) this.slots[index] = undefined;
    slot.task = undefined;
    void slot.worker.terminate();
  }
}
