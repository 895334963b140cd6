import { describe, expect, it } from 'vitest';
import { Lru } from './lru.js';

describe('Lru', () => {
  it('evicts the least recently used past maxEntries; a get counts as a use', () => {
    const removed: string[] = [];
    const lru = new Lru<string, number>({ maxEntries: 2, maxWeight: Infinity }, (k) =>
      removed.push(k),
    );
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.has('b')).toBe(false);
    expect([lru.get('a'), lru.get('c')]).toEqual([1, 3]);
    expect(removed).toEqual(['b']);
  });

  it('evicts by total weight, and keeps nothing heavier than the budget', () => {
    const lru = new Lru<string, string>({ maxEntries: 10, maxWeight: 10 });
    expect(lru.set('a', 'x', 4)).toBe(true);
    expect(lru.set('b', 'y', 4)).toBe(true);
    expect(lru.set('c', 'z', 4)).toBe(true);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([false, true, true]);
    expect(lru.weight).toBe(8);
    expect(lru.set('huge', 'w', 11)).toBe(false);
    expect(lru.has('huge')).toBe(false);
    expect(lru.weight).toBe(8);
  });

  it('a replaced or deleted entry is removed (told to the owner) and its weight given back', () => {
    const removed: [string, string][] = [];
    const lru = new Lru<string, string>({ maxEntries: 10, maxWeight: 100 }, (k, v) =>
      removed.push([k, v]),
    );
    lru.set('a', 'old', 30);
    lru.set('a', 'new', 20);
    expect(lru.weight).toBe(20);
    expect(lru.delete('a')).toBe(true);
    expect(lru.delete('a')).toBe(false);
    expect(removed).toEqual([
      ['a', 'old'],
      ['a', 'new'],
    ]);
    lru.set('b', 'v', 5);
    lru.clear();
    expect([lru.size, lru.weight]).toEqual([0, 0]);
    expect(removed).toHaveLength(2);
  });
});
