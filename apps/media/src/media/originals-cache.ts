import { Lru } from '@lateral/cache';
import { type MediaMetrics } from '../media.metrics.js';

/**
 * Originals read for on-demand renders, kept in memory by media id, so the widths one page asks
 * for at once (a `srcset`: 480, 960, 1600 px) and the next new width read the original from
 * the store once, not once each: from bytea that is 7–10 ms of a 12 MP photo's ~190 ms render,
 * from s3 a GET. Also one read for renders of the same original that start together.
 *
 * Never stale: an id names its bytes (SHA-256), so an entry is right for as long as it lives; an
 * image deleted meanwhile is never reached through it, since every request finds the image's row
 * before it asks for the original. Bounded by bytes (MEDIA_ORIGINALS_CACHE_MB, 0 = off), least
 * recently used out first; an original over a quarter of the budget is never kept.
 */
export class OriginalsCache {
  /** By media id, weighed in bytes. */
  private readonly entries: Lru<string, Buffer>;
  private readonly reading = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly maxBytes: number,
    private readonly metrics: MediaMetrics,
  ) {
    this.entries = new Lru({ maxEntries: Infinity, maxWeight: maxBytes });
  }

  /** The original of `mediaId`, kept or read now by `read` (one read for callers at once). */
  async get(mediaId: string, read: () => Promise<Buffer>): Promise<Buffer> {
    if (this.maxBytes === 0) return read();
    const kept = this.entries.get(mediaId);
    if (kept) {
      this.metrics.originalsCacheLookups.inc({ result: 'hit' });
      return kept;
    }
    const pending = this.reading.get(mediaId);
    if (pending) {
      this.metrics.originalsCacheLookups.inc({ result: 'hit' });
      return pending;
    }
    this.metrics.originalsCacheLookups.inc({ result: 'miss' });
    const started = read()
      .then((data) => {
        this.keep(mediaId, data);
        return data;
      })
      .finally(() => this.reading.delete(mediaId));
    this.reading.set(mediaId, started);
    return started;
  }

  private keep(mediaId: string, data: Buffer): void {
    if (data.length > this.maxBytes / 4 || this.entries.has(mediaId)) return;
    this.entries.set(mediaId, data, data.length);
    this.metrics.originalsCacheBytes.set(this.entries.weight);
  }
}
