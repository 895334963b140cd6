import { Injectable } from '@nestjs/common';
import { type MediaInfo } from '../markdown/markdown.js';
import { MediaClient } from '../platform.js';

const CACHE_SIZE = 5000;
/** A page view never waits long for image sizes: past this, the URL's size hints are used. */
const LOOKUP_BUDGET_MS = 1500;

function toInfo(item: Record<string, unknown>): MediaInfo | null {
  const width = item.width;
  const height = item.height;
  if (typeof width !== 'number' || typeof height !== 'number') return null;
  const thumbhash = item.thumbhash ?? item.thumbHash ?? item.placeholder;
  return { width, height, thumbhash: typeof thumbhash === 'string' ? thumbhash : null };
}

/**
 * Image metadata for rendering (`width`/`height` against layout shift, the ThumbHash). An
 * image id names immutable content, so answers are cached for the life of the process.
 */
@Injectable()
export class MediaInfoService {
  private readonly cache = new Map<string, MediaInfo>();

  constructor(private readonly media: MediaClient) {}

  async lookup(ids: readonly string[]): Promise<Map<string, MediaInfo | null>> {
    const result = new Map<string, MediaInfo | null>();
    const missing = ids.filter((id) => {
      const hit = this.cache.get(id);
      if (hit) result.set(id, hit);
      return !hit;
    });
    if (!missing.length) return result;
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, LOOKUP_BUDGET_MS);
    });
    const fetches = Promise.all(
      missing.map(async (id) => {
        try {
          const info = toInfo(await this.media.getMedia(id));
          if (info) this.remember(id, info);
          result.set(id, info);
        } catch {
          // Media down or the id unknown: the page still renders, with the URL's size hints.
          result.set(id, null);
        }
      }),
    );
    await Promise.race([fetches, budget]);
    clearTimeout(timer);
    return new Map(result);
  }

  private remember(id: string, info: MediaInfo): void {
    if (this.cache.size >= CACHE_SIZE) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(id, info);
  }
}
