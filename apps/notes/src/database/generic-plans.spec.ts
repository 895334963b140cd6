import { describe, expect, it } from 'vitest';
import { MAX_GENERIC_PLAN_CONNECTIONS, sharePool } from './generic-plans.js';

describe('sharePool', () => {
  it('gives generic plans up to 4 connections, never more than half, and keeps the total', () => {
    expect(sharePool(10)).toEqual({ dataSource: 6, generic: MAX_GENERIC_PLAN_CONNECTIONS });
    expect(sharePool(40)).toEqual({ dataSource: 36, generic: 4 });
    expect(sharePool(5)).toEqual({ dataSource: 3, generic: 2 });
    expect(sharePool(2)).toEqual({ dataSource: 1, generic: 1 });
    expect(sharePool(1)).toEqual({ dataSource: 1, generic: 0 });
  });
});
