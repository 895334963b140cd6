import { GatewayException } from '../errors/gateway-errors.js';

/** Seconds a client is told to wait when every import slot and the waiting line are taken. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Imports at once, with a short waiting line: each one holds its archive and everything it
 * unpacked (up to IMPORT_MAX_UNCOMPRESSED_BYTES) until its pages are stored, so more at once
 * only multiplies memory. Past the line, callers are told to come back (503 + Retry-After).
 * (media's WorkQueue does the same for images, with per-job timeouts; imports have their
 * own unpack budget and upstream timeouts.)
 */
export class ImportQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: { concurrency: number; capacity: number }) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.capacity) {
        throw new GatewayException(
          'service_unavailable',
          'Too many imports are running. Try again in a moment.',
          undefined,
          { 'retry-after': String(RETRY_AFTER_SECONDS) },
        );
      }
      // The finishing job hands its slot over, so `running` stays as it is.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
