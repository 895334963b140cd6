export interface LruLimits {
  /** Entries kept at most. */
  maxEntries: number;
  /** Total weight kept at most (bytes, characters: what each entry is weighed in). */
  maxWeight: number;
}

/**
 * A map bounded by entries and by total weight, least recently used out first: the one eviction
 * every in-memory cache of the services uses (search words in notes, rendered pages and page
 * views in the gateway, originals in media). What an entry means, when it is stale and what it
 * is indexed by stay with its owner; `onRemove` tells the owner of every entry that leaves by
 * eviction, {@link delete} or replacement, so its indexes follow ({@link clear} excepted: the
 * owner clears its indexes with it).
 */
export class Lru<K, V> {
  /** Map order is recency: the first entry is the least recently used. */
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(
    private readonly limits: LruLimits,
    private readonly onRemove?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The entries' total weight. */
  get weight(): number {
    return this.total;
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /**
   * Keeps `value` (replacing the key's), then evicts the least recently used until both limits
   * hold; a value heavier than the whole budget is not kept (false).
   */
  set(key: K, value: V, weight = 1): boolean {
    this.delete(key);
    if (weight > this.limits.maxWeight) return false;
    this.entries.set(key, { value, weight });
    this.total += weight;
    while (this.entries.size > this.limits.maxEntries || this.total > this.limits.maxWeight) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    return this.entries.has(key);
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.total -= entry.weight;
    this.onRemove?.(key, entry.value);
    return true;
  }

  /** Drops every entry, without `onRemove`. */
  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}
