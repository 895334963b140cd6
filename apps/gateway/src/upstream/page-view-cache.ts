import { Lru } from '@lateral/cache';
import { type NoteWithContext } from '@lateral/contracts';
import { type SessionUser } from '../auth/current-user.js';
import { type GatewayMetrics } from '../gateway.metrics.js';

export interface PageViewCacheLimits {
  /** Page views kept at most (a page as one person's view shows it). */
  maxEntries: number;
  /** Characters of page bodies kept at most (a JS string: ~2 bytes each). */
  maxChars: number;
  /**
   * An entry is not served past this age even if nothing said it changed: a bound on what a
   * lost notice could cost, should one ever be lost in ways the feed does not see.
   */
  maxAgeMs: number;
}

// Constants until they earn a place in GatewayConfig: ~32 MB of bodies at most.
export const PAGE_VIEW_CACHE_LIMITS: Readonly<PageViewCacheLimits> = {
  maxEntries: 5000,
  maxChars: 16 * 1024 * 1024,
  maxAgeMs: 60_000,
};

/** What one notice (or one of this gateway's own writes) says changed. */
type Change = { seq: number; names: readonly string[] } | { seq: number; names: 'all' };

/** Changes remembered for views being fetched while they happen (see {@link PageViewCache.set}). */
const RECENT_CHANGES = 1024;

interface Entry {
  view: NoteWithContext;
  /** The page's id and slug, the key it was asked by, and the ids of the backlinks it shows. */
  names: string[];
  storedAt: number;
}

/**
 * What notes answered for page views (`GET /notes/:key?include=…`), per person and key, so a page
 * view that nothing has changed since costs no request to notes. Only while this gateway follows
 * notes' page changes (PageChangesFollower): notes' triggers say which page changed (`page <id>`:
 * a save, or a link to it coming or going) or that anything may have (`all`: trees, spaces,
 * members, renames); each drops what it touches. When the feed stops, everything is dropped and
 * nothing is cached until it is back, so a lost notice cannot leave a page stale.
 *
 * - Per person (id and role): what a view holds (the spaces, the tree, backlinks, where links
 *   lead) is what notes let that person see. The gateway never decides access from an entry.
 * - Read your writes: this gateway's own writes to notes drop what they touch before the writer
 *   hears back ({@link wrote}); another replica's writes arrive as notices, milliseconds later.
 * - A view fetched while a change to it happened is not stored (it may predate the change):
 *   fetches take a {@link begin} token, and {@link set} checks the changes since.
 * - Entries are frozen: every request renders from the same object.
 *
 * Bounded by entries and characters, least recently used out first, and by age.
 */
export class PageViewCache {
  /** By person and key, weighed in characters. */
  private readonly entries: Lru<string, Entry>;
  /** A name (page id, slug, key) → the entries it appears in. */
  private readonly byName = new Map<string, Set<string>>();
  private readonly changes: Change[] = [];
  private seq = 0;
  private following = false;

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly limits: PageViewCacheLimits = PAGE_VIEW_CACHE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new Lru(
      { maxEntries: limits.maxEntries, maxWeight: limits.maxChars },
      (id, entry) => {
        for (const name of entry.names) {
          const keys = this.byName.get(name);
          keys?.delete(id);
          if (keys?.size === 0) this.byName.delete(name);
        }
      },
    );
  }

  get size(): number {
    return this.entries.size;
  }

  /** The feed is up (its `ready`): start caching, from nothing. */
  start(): void {
    this.allChanged();
    this.following = true;
  }

  /** The feed is down: drop everything and cache nothing until {@link start}. */
  stop(): void {
    this.following = false;
    this.allChanged();
  }

  /** `page <id>`: that page's views, and views showing it among their backlinks, are stale. */
  pageChanged(id: string): void {
    this.record({ seq: ++this.seq, names: [id] });
    for (const key of [...(this.byName.get(id) ?? [])]) this.entries.delete(key);
    this.metrics.pageViewCacheEntries.set(this.entries.size);
  }

  /** `all`, or anything this gateway cannot pin down: every view is stale. */
  allChanged(): void {
    this.record({ seq: ++this.seq, names: 'all' });
    this.entries.clear();
    this.byName.clear();
    this.metrics.pageViewCacheEntries.set(0);
  }

  /**
   * This gateway sent notes a write (`path` with its query): drop what it may change now, not
   * when the notice comes, so the writer's next view shows it. A save (`PUT /notes/:key`) names
   * its page by id or slug; drafts change no view; anything else drops everything.
   */
  wrote(method: string, path: string): void {
    const [pathname = ''] = path.split('?');
    if (/^\/api\/v1\/(?:notes\/[^/]+\/draft|drafts\/new)$/.test(pathname)) return;
    if (method === 'POST' && pathname === '/api/v1/media-references') return; // a question
    const save = /^\/api\/v1\/notes\/([^/]+)$/.exec(pathname);
    if (method === 'PUT' && save) {
      let key = save[1]!;
      try {
        key = decodeURIComponent(key);
      } catch {
        return this.allChanged();
      }
      return this.pageChanged(key);
    }
    this.allChanged();
  }

  /** A token for a fetch about to start, or undefined when nothing may be stored. */
  begin(): number | undefined {
    return this.following ? this.seq : undefined;
  }

  get(caller: SessionUser | undefined, key: string): NoteWithContext | undefined {
    if (!this.following) {
      this.metrics.pageViewCacheLookups.inc({ result: 'off' });
      return undefined;
    }
    const id = entryKey(caller, key);
    const entry = this.entries.get(id);
    if (entry && this.now() - entry.storedAt <= this.limits.maxAgeMs) {
      this.metrics.pageViewCacheLookups.inc({ result: 'hit' });
      return entry.view;
    }
    if (entry) {
      this.entries.delete(id);
      this.metrics.pageViewCacheEntries.set(this.entries.size);
    }
    this.metrics.pageViewCacheLookups.inc({ result: 'miss' });
    return undefined;
  }

  /**
   * Keeps what notes answered for `caller` and `key`, unless a change that touches it came since
   * `token` (the view may predate it) or too many changes came to tell.
   */
  set(caller: SessionUser | undefined, key: string, view: NoteWithContext, token?: number): void {
    if (!this.following || token === undefined) return;
    const names = [view.id, view.slug, key, ...(view.backlinks?.items ?? []).map((n) => n.id)];
    if (this.seq !== token) {
      const oldest = this.changes[0]?.seq ?? Infinity;
      if (oldest > token + 1) return;
      for (const change of this.changes) {
        if (change.seq <= token) continue;
        if (change.names === 'all' || change.names.some((name) => names.includes(name))) return;
      }
    }
    const chars = view.body.length + 200 * sizeOf(view);
    const id = entryKey(caller, key);
    if (this.entries.set(id, { view, names, storedAt: this.now() }, chars)) {
      deepFreeze(view);
      for (const name of names) {
        let keys = this.byName.get(name);
        if (!keys) this.byName.set(name, (keys = new Set()));
        keys.add(id);
      }
    }
    this.metrics.pageViewCacheEntries.set(this.entries.size);
  }

  private record(change: Change): void {
    this.changes.push(change);
    if (this.changes.length > RECENT_CHANGES) this.changes.shift();
  }
}

/** Per person and role (their access), then the key as asked. */
function entryKey(caller: SessionUser | undefined, key: string): string {
  return caller ? `${caller.id}\n${caller.role}\n${key}` : `\n\n${key}`;
}

/** Rows of a view besides its body: spaces, tree nodes, backlinks, links. */
function sizeOf(view: NoteWithContext): number {
  return (
    (view.place?.spaces.length ?? 0) +
    (view.place?.tree.items.length ?? 0) +
    (view.backlinks?.items.length ?? 0) +
    (view.links?.length ?? 0)
  );
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
