/**
 * In-memory token buckets, one per key (client IP, API token, user). Each holds up to
 * `capacity` tokens and refills continuously at `capacity / windowMs`. Per process: with N
 * gateway replicas a client gets up to N times the budget, which is fine for abuse protection.
 */
export interface TakeResult {
  allowed: boolean;
  /** Seconds until one token is available again (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
  remaining: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(
    readonly capacity: number,
    windowMs: number,
    private readonly now: () => number = Date.now,
    /** Bounds memory under a flood of distinct keys (spoofed IPs). */
    private readonly maxKeys = 100_000,
  ) {
    this.refillPerMs = capacity / windowMs;
  }

  take(key: string, cost = 1): TakeResult {
    const now = this.now();
    const bucket = this.refill(key, now);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(bucket.tokens) };
    }
    const waitMs = (cost - bucket.tokens) / this.refillPerMs;
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      remaining: 0,
    };
  }

  /** Gives back a token taken for an attempt that turned out fine (a successful sign-in). */
  refund(key: string, cost = 1): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.capacity, bucket.tokens + cost);
  }

  /** Forget a key (a successful login clears the failures behind it). */
  reset(key: string): void {
    this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }

  private refill(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.sweep(now);
      bucket = { tokens: this.capacity, updatedAt: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.capacity, bucket.tokens + elapsed * this.refillPerMs);
    bucket.updatedAt = now;
    return bucket;
  }

  /** Drops buckets that are full again (they hold no information); if none, the oldest. */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const tokens = bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs;
      if (tokens >= this.capacity) this.buckets.delete(key);
    }
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
  }
}
