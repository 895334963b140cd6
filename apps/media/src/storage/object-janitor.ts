import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Clock, LOGGER, type Logger } from '@lateral/observability';
import { MediaConfig } from '../media.config.js';
import { MediaRepository } from '../media/media.repository.js';
import { MediaStorage } from './media-storage.js';

export interface SweepResult {
  /** Objects of ours seen under the prefix. */
  seen: number;
  /** Deleted: no row pointed to them and they were older than the grace period. */
  deleted: number;
}

/**
 * Deletes objects no row points to, once they are older than MEDIA_S3_ORPHAN_GRACE_HOURS. They
 * come from an upload whose row was never written (the process died, the database refused),
 * from files migrated back into PostgreSQL, and from a writer that lost a race. The grace
 * period covers a write in progress (object written, row not yet); the per-key lock in
 * {@link MediaRepository.removeIfUnreferenced} covers the rest. Objects under the prefix that
 * are not named like ours are left alone. Every replica sweeps; deleting twice is harmless.
 */
@Injectable()
export class ObjectJanitor implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult> | undefined;

  constructor(
    private readonly config: MediaConfig,
    private readonly storage: MediaStorage,
    private readonly repository: MediaRepository,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.s3?.janitorIntervalMs ?? 0;
    if (every === 0) return;
    this.timer = setInterval(() => {
      // Best effort: a failed sweep (the store is down) is logged and retried next time.
      this.sweep().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'orphaned object sweep failed'),
      );
    }, every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One pass over the bucket's prefix; one at a time per process. */
  sweep(): Promise<SweepResult> {
    this.running ??= this.sweepOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(): Promise<SweepResult> {
    const settings = this.config.s3;
    if (!settings) return { seen: 0, deleted: 0 };
    const cutoff = this.clock.now().getTime() - settings.orphanGraceMs;
    const objects = this.storage.objects;
    const result: SweepResult = { seen: 0, deleted: 0 };
    let continuation: string | undefined;
    do {
      const page = await this.storage.listObjects(continuation);
      for (const object of page.objects) {
        const hash = objects.hashOf(object.key);
        if (!hash) continue;
        result.seen += 1;
        if (object.lastModified.getTime() > cutoff) continue;
        const removed = await this.repository.removeIfUnreferenced(hash, () =>
          this.storage.deleteObject(object.key),
        );
        if (removed) result.deleted += 1;
      }
      continuation = page.next;
    } while (continuation);
    if (result.deleted > 0) this.logger.info(result, 'deleted orphaned objects');
    return result;
  }
}
