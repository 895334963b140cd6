import { describe, expect, it } from 'vitest';
import { decodeNumberCursor, decodeTimeCursor, encodeCursor } from './cursor.js';

const id = '3f2b8c1e-9a4d-4e8f-b0c1-2d3e4f5a6b7c';
const anyId = (value: string) => /^[\w-]{1,128}$/.test(value);
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const invalidCursor = expect.objectContaining({ code: 'invalid_cursor' });

describe('cursor codec', () => {
  it('round-trips a timestamp + id key exactly', () => {
    const key = { at: '2026-03-01T10:20:30.123Z', id };
    expect(decodeTimeCursor(encodeCursor(key), anyId)).toEqual(key);
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
    ['an empty cursor', ''],
    ['an overlong cursor', 'A'.repeat(513)],
    ['garbage bytes', Buffer.from([0xff, 0xfe, 0x00]).toString('base64url')],
    ['a tampered cursor', encodeCursor({ at: '2026-03-01T10:20:30.123Z', id }).slice(0, -3)],
    ['JSON of the wrong shape', b64('[1,2]')],
    ['JSON null', b64('null')],
    ['a bad id', b64('{"t":"2026-01-01T00:00:00Z","i":"x; drop table"}')],
    ['an id of the wrong type', b64('{"t":"2026-01-01T00:00:00Z","i":7}')],
    ['a bad date', b64(`{"t":"yesterday","i":"${id}"}`)],
    ['a number cursor', encodeCursor(3)],
    ["the old media format ('at|id')", b64(`2026-01-01T00:00:00.000Z|${id}`)],
  ])('refuses %s with invalid_cursor', (_name, cursor) => {
    expect(() => decodeTimeCursor(cursor, anyId)).toThrow(invalidCursor);
  });

  it("refuses an id the service's table could not hold", () => {
    const cursor = encodeCursor({ at: '2026-01-01T00:00:00.000Z', id: 'not-a-uuid' });
    expect(decodeTimeCursor(cursor, anyId).id).toBe('not-a-uuid');
    expect(() => decodeTimeCursor(cursor, (value) => value === id)).toThrow(invalidCursor);
  });

  it.each([
    ['a time cursor', encodeCursor({ at: '2026-01-01T00:00:00.000Z', id })],
    ['zero', encodeCursor(0)],
    ['a fraction', b64('{"n":1.5}')],
    ['a string number', b64('{"n":"2"}')],
  ])('refuses %s where a revision number is expected', (_name, cursor) => {
    expect(() => decodeNumberCursor(cursor)).toThrow(invalidCursor);
  });
});
