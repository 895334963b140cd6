import { createRequire } from 'node:module';
import { WorkerError, WorkerPool } from '@lateral/work';
import {
  HEIC_WORKER_SOURCE,
  type HeicWorkerResult,
  type HeicWorkerTask,
} from './heic-worker-source.js';

export interface DecodedPixels {
  width: number;
  height: number;
  /** 4 (RGBA) from the WebAssembly pool; 3 (RGB) or 1 (grey) from the native decoder. */
  channels: 1 | 2 | 3 | 4;
  /** `channels` bytes per pixel. */
  data: Buffer;
}

/** The bytes are not a HEIC image the decoder can read, or the decoder died. */
export class HeicDecodeError extends Error {
  override name = 'HeicDecodeError';
}

const decoderPath = createRequire(import.meta.url).resolve('heic-decode');

/**
 * HEIC (HEVC) decoding in worker threads: sharp's prebuilt libvips has no HEVC decoder, and
 * heic-decode (libheif compiled to WebAssembly) works synchronously for seconds per photo,
 * which must never happen on the event loop. A worker is replaced after `recycleAfter`
 * images because a WebAssembly heap grows but never shrinks; an aborted decode (the image
 * job's budget) terminates its worker, which is the only way to stop it. The waiting line is
 * not bounded here: every decode runs inside an image job, which media's ImageQueue bounds.
 */
export class HeicPool {
  private readonly pool: WorkerPool<HeicWorkerTask, HeicWorkerResult>;

  constructor(options: { size: number; recycleAfter: number }) {
    this.pool = new WorkerPool({
      size: options.size,
      recycleAfter: options.recycleAfter,
      worker: () => ({
        filename: HEIC_WORKER_SOURCE,
        options: { eval: true, workerData: { decoderPath } },
      }),
    });
  }

  /** Workers started so far (recycling shows up here). */
  get spawned(): number {
    return this.pool.spawned;
  }

  async decode(input: Buffer, signal?: AbortSignal): Promise<DecodedPixels> {
    // Copy into a transferable buffer: the caller's Buffer may be a slice of a shared pool.
    const bytes = new Uint8Array(input).buffer;
    try {
      const { width, height, data } = await this.pool.run(
        { input: bytes },
        { signal, transfer: [bytes] },
      );
      return { width, height, channels: 4, data: Buffer.from(data) };
    } catch (error) {
      if (error instanceof WorkerError) throw new HeicDecodeError(error.message);
      throw error;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
