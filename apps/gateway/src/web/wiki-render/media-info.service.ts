import { Clock } from '@lateral/observability';
import { Injectable } from '@nestjs/common';
import { type MediaInfo } from '../markdown/markdown.js';
import { MediaAccessService, MediaClient, UpstreamResponseError } from '../platform.js';

const CACHE_SIZE = 5000;
/** A page view never waits long for image sizes: past this, the URL's size hints are used. */
const LOOKUP_BUDGET_MS = 1500;
/**
 * Media lookups one render may start. A page can name thousands of images (`![](/api/v1/media/…)`
 * 5,000 times); past this many distinct ids the rest render without dimensions, like an unknown id.
 */
export const MAX_LOOKUPS_PER_RENDER = 200;
/**
 * Ids media answered 404 (or without dimensions) for: remembered briefly so a page full of
 * unknown ids does not ask again on every view. Short, because an upload or a permission
 * change can make an id known; and it only costs a missing width/height, never access.
 */
const NEGATIVE_CACHE_SIZE = 5000;
const NEGATIVE_TTL_MS = 60_000;

function toInfo(item: Record<string, unknown>): MediaInfo | null {
  const width = item.width;
  const height = item.height;
  if (typeof width !== 'number' || typeof height !== 'number') return null;
  const thumbhash = item.thumbhash ?? item.thumbHash ?? item.placeholder;
  return { width, height, thumbhash: typeof thumbhash === 'string' ? thumbhash : null };
}

/** Insertion-ordered map trimmed to `max` entries, oldest first. */
function rememberBounded<V>(map: Map<string, V>, max: number, key: string, value: V): void {
  map.delete(key);
  if (map.size >= max) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

/**
 * Image metadata for rendering (`width`/`height` against layout shift, the ThumbHash). An
 * image id names immutable content, so answers are cached for the life of the process; but
 * every id is first checked against the viewer's access (MediaAccessService, cached per person
 * for 30 s), so an image the viewer may not read renders with no size and no placeholder,
 * exactly like an unknown id.
 */
@Injectable()
export class MediaInfoService {
  private readonly cache = new Map<string, MediaInfo>();
  /** id → when the "unknown" answer stops counting. */
  private readonly unknown = new Map<string, number>();

  constructor(
    private readonly media: MediaClient,
    private readonly clock: Clock,
    private readonly access: MediaAccessService,
  ) {}

  async lookup(ids: readonly string[]): Promise<Map<string, MediaInfo | null>> {
    const result = new Map<string, MediaInfo | null>();
    const now = this.clock.now().getTime();
    const candidates: string[] = [];
    for (const id of new Set(ids)) {
      if ((this.unknown.get(id) ?? 0) > now) result.set(id, null);
      else if (candidates.length < MAX_LOOKUPS_PER_RENDER) candidates.push(id);
      else result.set(id, null);
    }
    if (!candidates.length) return result;
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, LOOKUP_BUDGET_MS);
    });
    const fetches = Promise.all(
      candidates.map(async (id) => {
        try {
          // Access first, cached or not: the size of an image is as private as the image.
          if (!(await this.access.canRead(id))) {
            result.set(id, null);
            return;
          }
          const hit = this.cache.get(id);
          if (hit) {
            result.set(id, hit);
            return;
          }
          const info = toInfo(await this.media.getMedia(id));
          if (info) rememberBounded(this.cache, CACHE_SIZE, id, info);
          else this.rememberUnknown(id);
          result.set(id, info);
        } catch (error) {
          // Unknown: remembered briefly. Media or notes down: not remembered, it may be back
          // for the next view. Either way the page renders with the URL's hints.
          if (error instanceof UpstreamResponseError && error.status === 404) {
            this.rememberUnknown(id);
          }
          result.set(id, null);
        }
      }),
    );
    await Promise.race([fetches, budget]);
    clearTimeout(timer);
    return new Map(result);
  }

  private rememberUnknown(id: string): void {
    rememberBounded(
      this.unknown,
      NEGATIVE_CACHE_SIZE,
      id,
      this.clock.now().getTime() + NEGATIVE_TTL_MS,
    );
  }
}
