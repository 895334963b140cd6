import { decodeNumberCursor } from '@lateral/http';
import { describe, expect, it } from 'vitest';
import { toPage } from './cursor.js';

describe('toPage', () => {
  const rows = [1, 2, 3].map((n) => ({ n }));
  const byNumber = (r: { n: number }) => r.n;

  it('returns a cursor after the last returned row when more rows exist', () => {
    const page = toPage(rows, 2, byNumber, byNumber);
    expect(page.items).toEqual([1, 2]);
    expect(decodeNumberCursor(page.nextCursor!)).toBe(2);
  });

  it('returns no cursor on the last page', () => {
    expect(toPage(rows, 3, byNumber, byNumber).nextCursor).toBeNull();
  });
});
