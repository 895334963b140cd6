import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { MAX_MEDIA_REFERENCE_IDS } from '@lateral/contracts';
import { Clock, LOGGER, type Logger } from '@lateral/observability';
import { DataSource, type QueryRunner } from 'typeorm';
import { type SessionUser } from '../auth/current-user.js';
import { GatewayException } from '../errors/gateway-errors.js';
import { GatewayConfig } from '../gateway.config.js';
import { GatewayMetrics } from '../gateway.metrics.js';
import { MediaClient } from '../upstream/media.client.js';
import { NotesClient } from '../upstream/notes.client.js';

/** Who the collection acts as towards notes and media (both answer its questions to admins only). */
const COLLECTOR: SessionUser = {
  id: 'system:media-collection',
  name: 'Media collection',
  role: 'admin',
};

/** How long after start the first scheduled run comes. */
const FIRST_RUN_AFTER_MS = 10 * 60_000;

/** One collection at a time across every gateway replica (a session-level advisory lock). */
const LOCK_KEY = 0x4c41_5445_4d43; // "LATEMC"

export interface CollectionResult {
  /** Images old enough to be looked at. */
  checked: number;
  /** Of those, deleted because nothing uses them. */
  deleted: number;
}

/**
 * Collects the images nothing uses any more (docs/media.md, "Collecting unused images"): media
 * owns the bytes and knows when each image came, notes knows which pages, versions and drafts
 * show it, and the gateway talks to both. An image older than the grace period (so a fresh upload
 * not yet in a draft is safe) that notes does not name is deleted from media. Runs every
 * MEDIA_COLLECTION_INTERVAL_HOURS (on whichever replica's timer comes first: the others skip
 * until the interval has passed, `media_collection_runs`), and on demand for admins.
 */
@Injectable()
export class MediaCollector implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly config: GatewayConfig,
    private readonly notes: NotesClient,
    private readonly media: MediaClient,
    private readonly dataSource: DataSource,
    private readonly metrics: GatewayMetrics,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const every = this.config.mediaCollection.intervalMs;
    if (every === 0) return;
    // The first run soon after start, not a whole interval later: a wiki redeployed more often
    // than the interval would otherwise never collect. Replicas starting together take turns on
    // the lock (the others answer conflict and wait for their next turn).
    this.schedule(Math.min(every, FIRST_RUN_AFTER_MS), every);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number, every: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      // A failed run is logged in run(); the next one starts over.
      this.runIfDue(every)
        .catch(() => undefined)
        .finally(() => this.schedule(every, every));
    }, delayMs);
    this.timer.unref();
  }

  /**
   * One collection, unless another replica (or request) is running one: then 409 `conflict`.
   * Notes or media failing stops the run where it is; what was deleted stays deleted.
   */
  async run(): Promise<CollectionResult> {
    return this.locked((runner) => this.collectAndRecord(runner));
  }

  /**
   * The timer's run: none (undefined) when any replica's collection finished less than `every`
   * ago (each replica has its own timer; the collection is due once per interval, not once per
   * replica).
   */
  async runIfDue(every: number): Promise<CollectionResult | undefined> {
    return this.locked(async (runner) => {
      const [last] = (await runner.query(`SELECT finished_at FROM media_collection_runs`)) as {
        finished_at: Date;
      }[];
      if (last && this.clock.now().getTime() - last.finished_at.getTime() < every) return undefined;
      return this.collectAndRecord(runner);
    });
  }

  /** `work` under the collection's lock, held on one connection of the gateway's pool. */
  private async locked<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [
        LOCK_KEY,
      ])) as [{ locked: boolean }];
      if (!locked)
        throw new GatewayException('conflict', 'A collection of unused images is running.');
      try {
        return await work(runner);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  private async collectAndRecord(runner: QueryRunner): Promise<CollectionResult> {
    try {
      const result = await this.collect();
      await runner.query(
        `INSERT INTO media_collection_runs (finished_at) VALUES ($1)
         ON CONFLICT (only_row) DO UPDATE SET finished_at = EXCLUDED.finished_at`,
        [this.clock.now()],
      );
      this.logger.info(result, 'unused images collected');
      return result;
    } catch (error) {
      this.logger.warn({ err: error }, 'collecting unused images stopped');
      throw error;
    }
  }

  private async collect(): Promise<CollectionResult> {
    const before = new Date(this.clock.now().getTime() - this.config.mediaCollection.graceMs);
    const result: CollectionResult = { checked: 0, deleted: 0 };
    let after = '';
    for (;;) {
      const page = await this.media.uploadedBefore(
        before,
        after,
        MAX_MEDIA_REFERENCE_IDS,
        COLLECTOR,
      );
      const ids = page.items.map((item) => item.id);
      if (ids.length === 0) break;
      const used = new Set((await this.notes.mediaReferences(ids, COLLECTOR)).referenced);
      for (const id of ids) {
        if (used.has(id)) {
          this.metrics.mediaCollected.inc({ outcome: 'kept' });
          continue;
        }
        // false: already gone (another way, or a run that stopped after deleting it).
        if (!(await this.media.deleteMedia(id, COLLECTOR))) continue;
        result.deleted += 1;
        this.metrics.mediaCollected.inc({ outcome: 'deleted' });
      }
      result.checked += ids.length;
      if (!page.next) break;
      after = page.next;
    }
    return result;
  }
}
