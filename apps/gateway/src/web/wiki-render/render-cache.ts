import { Lru } from '@lateral/cache';
import { type RenderTemplate } from '../markdown/markdown.js';
import { type GatewayMetrics } from '../platform.js';

export interface RenderCacheLimits {
  /** Page versions kept at most. */
  maxEntries: number;
  /** Characters of rendered HTML kept at most (a JS string: ~2 bytes each). */
  maxChars: number;
}

// Constants until they earn a place in GatewayConfig: ~32 MB of HTML at most.
export const RENDER_CACHE_LIMITS: Readonly<RenderCacheLimits> = {
  maxEntries: 5000,
  maxChars: 16 * 1024 * 1024,
};

/**
 * Rendered page bodies by page id and version, so a page view does not parse and render markdown
 * that has not changed (it was most of the gateway's CPU per view). What is kept is the
 * {@link RenderTemplate}: the HTML of the markdown alone, with slots where the reader matters
 * (wiki links to pages they may or may not see, our images sized only for readers allowed to
 * see them); the slots are filled per request from that reader's lookups. So nothing in an
 * entry depends on who asked first. And an entry is only ever looked up with the id and version
 * notes just answered to this reader for this page, so nobody gets a body notes did not give them.
 *
 * A save makes a new version, hence a new key: no stale page after a save, and the page's older
 * version is dropped when the new one is stored. Bounded by entries and characters, least
 * recently used out first. Metrics: `lateral_render_cache_lookups_total{result}`,
 * `lateral_render_cache_entries`, `lateral_render_cache_chars`.
 */
export class RenderCache {
  /** By `id@version`, weighed in characters. */
  private readonly templates: Lru<string, RenderTemplate>;
  /** Page id → its cached key, so a new version replaces the old one. */
  private readonly byPage = new Map<string, string>();

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly limits: RenderCacheLimits = RENDER_CACHE_LIMITS,
  ) {
    this.templates = new Lru(
      { maxEntries: limits.maxEntries, maxWeight: limits.maxChars },
      (key) => {
        const id = key.slice(0, key.lastIndexOf('@'));
        if (this.byPage.get(id) === key) this.byPage.delete(id);
      },
    );
  }

  get size(): number {
    return this.templates.size;
  }

  get(page: { id: string; version: number }): RenderTemplate | undefined {
    const template = this.templates.get(`${page.id}@${page.version}`);
    this.metrics.renderCacheLookups.inc({ result: template ? 'hit' : 'miss' });
    return template;
  }

  /** Stores the template (unless it alone would take a quarter of the budget) and returns it. */
  set(page: { id: string; version: number }, template: RenderTemplate): RenderTemplate {
    const chars = template.parts.reduce((sum, part) => sum + part.length, 0);
    if (chars > this.limits.maxChars / 4) return template;
    const previous = this.byPage.get(page.id);
    if (previous !== undefined) this.templates.delete(previous);
    const key = `${page.id}@${page.version}`;
    this.templates.set(key, template, chars);
    this.byPage.set(page.id, key);
    this.metrics.renderCacheEntries.set(this.templates.size);
    this.metrics.renderCacheChars.set(this.templates.weight);
    return template;
  }
}
