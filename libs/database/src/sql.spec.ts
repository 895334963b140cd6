import { describe, expect, it } from 'vitest';
import { sqlLimit } from './sql.js';

describe('sqlLimit', () => {
  it('writes a row count as digits', () => {
    expect(sqlLimit(0)).toBe('0');
    expect(sqlLimit(101)).toBe('101');
  });

  it('refuses anything that is not a non-negative safe integer, so nothing else reaches the SQL', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => sqlLimit(bad)).toThrow('not a row count');
    }
    expect(() => sqlLimit('1; DROP TABLE notes' as unknown as number)).toThrow('not a row count');
  });
});
