import { describe, expect, it } from 'vitest';
import { decodeNumberCursor, decodeTimeCursor, encodeCursor, toPage } from './cursor.js';

const id = '3f2b8c1e-9a4d-4e8f-b0c1-2d3e4f5a6b7c';

describe('cursor codec', () => {
  it('round-trips a timestamp + id key exactly', () => {
    const key = { at: '2026-03-01T10:20:30.123Z', id };
    expect(decodeTimeCursor(encodeCursor(key))).toEqual(key);
  });

  it('round-trips a revision number', () => {
    expect(decodeNumberCursor(encodeCursor(42))).toBe(42);
  });

  it('is opaque: URL-safe text that does not show the key', () => {
    const cursor = encodeCursor({ at: '2026-03-01T10:20:30.123Z', id });
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(cursor).not.toContain(id);
  });

  it.each([
    ['not base64', '!!!'],
    ['garbage bytes', Buffer.from([0xff, 0xfe, 0x00]).toString('base64url')],
    ['JSON of the wrong shape', Buffer.from('[1,2]').toString('base64url')],
    [
      'a bad id',
      Buffer.from('{"t":"2026-01-01T00:00:00Z","i":"x; drop table"}').toString('base64url'),
    ],
    ['a bad date', Buffer.from(`{"t":"yesterday","i":"${id}"}`).toString('base64url')],
    ['a number cursor', encodeCursor(3)],
  ])('refuses %s with invalid_cursor', (_name, cursor) => {
    expect(() => decodeTimeCursor(cursor)).toThrow(
      expect.objectContaining({ code: 'invalid_cursor' }),
    );
  });

  it('refuses a time cursor where a revision number is expected', () => {
    expect(() => decodeNumberCursor(encodeCursor({ at: '2026-01-01T00:00:00.000Z', id }))).toThrow(
      expect.objectContaining({ code: 'invalid_cursor' }),
    );
  });
});

describe('toPage', () => {
  const rows = [1, 2, 3].map((n) => ({ n }));

  it('returns a cursor after the last returned row when more rows exist', () => {
    const page = toPage(
      rows,
      2,
      (r) => r.n,
      (r) => r.n,
    );
    expect(page.items).toEqual([1, 2]);
    expect(decodeNumberCursor(page.nextCursor!)).toBe(2);
  });

  it('returns no cursor on the last page', () => {
    expect(
      toPage(
        rows,
        3,
        (r) => r.n,
        (r) => r.n,
      ).nextCursor,
    ).toBeNull();
  });
});
