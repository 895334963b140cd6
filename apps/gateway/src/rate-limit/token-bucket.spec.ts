import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from './token-bucket.js';

describe('TokenBucketLimiter', () => {
  it('allows a burst of `capacity`, then refuses with a Retry-After until tokens refill', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(3, 60_000, () => now);
    expect([1, 2, 3].map(() => limiter.take('ip').allowed)).toEqual([true, true, true]);
    const refused = limiter.take('ip');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 20, remaining: 0 });
    now += 19_000;
    expect(limiter.take('ip').allowed).toBe(false);
    now += 1_000;
    expect(limiter.take('ip').allowed).toBe(true);
  });

  it('keeps keys independent and never refills beyond capacity', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(2, 1000, () => now);
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
    now += 1_000_000;
    expect(limiter.take('a').remaining).toBe(1);
  });

  it('bounds memory under a flood of distinct keys', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(5, 1000, () => now, 100);
    for (let i = 0; i < 1000; i++) {
      limiter.take(`ip-${i}`);
      now += 1;
    }
    expect(limiter.size).toBeLessThanOrEqual(100);
  });

  it('gives a token back on refund, never beyond capacity', () => {
    const limiter = new TokenBucketLimiter(1, 60_000, () => 0);
    limiter.take('k');
    limiter.refund('k');
    limiter.refund('k');
    expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k').allowed).toBe(false);
  });

  it('forgets a key on reset', () => {
    const limiter = new TokenBucketLimiter(1, 60_000, () => 0);
    limiter.take('k');
    expect(limiter.take('k').allowed).toBe(false);
    limiter.reset('k');
    expect(limiter.take('k').allowed).toBe(true);
  });
});
