import { Injectable } from '@nestjs/common';
import { HealthService } from '@lateral/health';
import { JobTimeoutError, QueueFullError, WorkQueue } from '@lateral/work';
import { MediaException } from '../errors/media-errors.js';
import { MediaConfig } from '../media.config.js';
import { MediaMetrics } from '../media.metrics.js';

/**
 * The one queue every image job goes through (uploads and on-demand variants), sized from
 * config, published as metrics, and part of readiness: a saturated queue takes the pod out of
 * the Service until it drains, so the load balancer sends work to a replica that has room.
 */
@Injectable()
export class ImageQueue {
  private readonly queue: WorkQueue;

  constructor(
    private readonly config: MediaConfig,
    metrics: MediaMetrics,
    health: HealthService,
  ) {
    metrics.queueCapacity.set(config.queue.capacity);
    this.queue = new WorkQueue({
      concurrency: config.queue.concurrency,
      capacity: config.queue.capacity,
      timeoutMs: config.limits.timeoutMs,
      onChange: ({ depth, inFlight }) => {
        metrics.queueDepth.set(depth);
        metrics.inFlight.set(inFlight);
      },
    });
    health.addReadinessCheck('image_queue', () => {
      if (this.queue.saturated) throw new Error('saturated');
    });
  }

  get inFlight(): number {
    return this.queue.inFlight;
  }

  async run<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await this.queue.run(job);
    } catch (error) {
      if (error instanceof QueueFullError) {
        const retryAfter = String(this.config.queue.retryAfterSeconds);
        throw new MediaException(
          'queue_full',
          'Too many images are being processed right now; try again shortly.',
          { retryAfterSeconds: this.config.queue.retryAfterSeconds },
          { 'retry-after': retryAfter },
        );
      }
      if (error instanceof JobTimeoutError) {
        throw new MediaException(
          'processing_timeout',
          `Processing the image took longer than ${this.config.limits.timeoutMs} ms.`,
        );
      }
      throw error;
    }
  }
}
