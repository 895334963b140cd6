import { isUuid, type Page } from '@lateral/contracts';
import { NotesException } from '../errors/notes-errors.js';

/**
 * Opaque keyset cursors: the sort key of the last row of a page, base64url-encoded JSON. Clients
 * must not build them; a tampered or foreign cursor is a 400, never a wrong page or a 500.
 */
export interface TimeCursor {
  /** ISO timestamp of the sort column (stored with millisecond precision, so it round-trips). */
  at: string;
  id: string;
}

export function encodeCursor(value: TimeCursor | number): string {
  const payload = typeof value === 'number' ? { n: value } : { t: value.at, i: value.id };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function decodePayload(cursor: string): Record<string, unknown> {
  if (!/^[\w-]{1,512}$/.test(cursor)) throw invalidCursor();
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidCursor();
    return value as Record<string, unknown>;
  } catch {
    throw invalidCursor();
  }
}

export function decodeTimeCursor(cursor: string): TimeCursor {
  const { t, i } = decodePayload(cursor);
  if (typeof t !== 'string' || typeof i !== 'string' || !isUuid(i)) throw invalidCursor();
  const at = new Date(t);
  if (Number.isNaN(at.getTime())) throw invalidCursor();
  return { at: at.toISOString(), id: i };
}

export function decodeNumberCursor(cursor: string): number {
  const { n } = decodePayload(cursor);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw invalidCursor();
  return n;
}

function invalidCursor(): NotesException {
  return new NotesException('invalid_cursor', 'The cursor is not one this service handed out.');
}

/**
 * Repositories fetch `limit + 1` rows; the extra one only says whether a next page exists, and
 * the cursor points after the last row actually returned.
 */
export function toPage<T, R>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
  keyOf: (row: R) => TimeCursor | number,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
