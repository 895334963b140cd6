import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { MediaMetrics } from '../media.metrics.js';
import { OriginalsCache } from './originals-cache.js';

function counting(bytes: number) {
  const reads: string[] = [];
  const read = (id: string) => () => {
    reads.push(id);
    return Promise.resolve(Buffer.alloc(bytes, id));
  };
  return { reads, read };
}

const metrics = () => new MediaMetrics(new Registry());

describe('OriginalsCache', () => {
  it('reads an original once for the renders that want it, at once or later', async () => {
    const cache = new OriginalsCache(1000, metrics());
    const { reads, read } = counting(100);
    const [a, b] = await Promise.all([cache.get('a', read('a')), cache.get('a', read('a'))]);
    expect(a).toBe(b);
    await cache.get('a', read('a'));
    expect(reads).toEqual(['a']);
  });

  it('keeps the most recently used within its bytes, and nothing over a quarter of them', async () => {
    const cache = new OriginalsCache(250, metrics());
    const { reads, read } = counting(60);
    await cache.get('a', read('a'));
    await cache.get('b', read('b'));
    await cache.get('c', read('c'));
    await cache.get('a', read('a')); // a is now the most recent
    await cache.get('d', read('d')); // 240 bytes: all four fit
    await cache.get('e', read('e')); // 300: b, the least recent, goes
    await cache.get('b', read('b'));
    expect(reads).toEqual(['a', 'b', 'c', 'd', 'e', 'b']);
    const big = counting(100);
    await cache.get('big', big.read('big'));
    await cache.get('big', big.read('big'));
    expect(big.reads).toEqual(['big', 'big']);
  });

  it('keeps no failed read, and keeps nothing when off', async () => {
    const cache = new OriginalsCache(1000, metrics());
    await expect(cache.get('x', () => Promise.reject(new Error('store down')))).rejects.toThrow();
    const { reads, read } = counting(10);
    await cache.get('x', read('x'));
    expect(reads).toEqual(['x']);
    const off = new OriginalsCache(0, metrics());
    await off.get('y', read('y'));
    await off.get('y', read('y'));
    expect(reads).toEqual(['x', 'y', 'y']);
  });
});
