import { DomainException } from './domain.exception.js';

/**
 * The one codec for opaque keyset cursors: the sort key of the last row of a page, as base64url
 * JSON. Clients must not build them; a tampered or foreign cursor is 400 `invalid_cursor` in every
 * service, never a wrong page or a 500.
 *
 * It lives in @lateral/http rather than @lateral/contracts because its failure is an HTTP answer
 * (the common `invalid_cursor` DomainException, thrown here once), and only the services that
 * page decode cursors; the gateway and clients pass them through untouched. What a valid row id
 * is stays with each service's table (notes: a UUID, media: its text id), passed as `isId`.
 */
export interface TimeCursor {
  /** ISO timestamp of the sort column (stored with millisecond precision, so it round-trips). */
  at: string;
  id: string;
}

/** Longest cursor looked at; ours are under 100 characters. */
const MAX_CURSOR_LENGTH = 512;
const BASE64URL = /^[\w-]+$/;

export function encodeCursor(value: TimeCursor | number): string {
  const payload = typeof value === 'number' ? { n: value } : { t: value.at, i: value.id };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function invalidCursor(): DomainException {
  return new DomainException('invalid_cursor', 'The cursor is not one this service handed out.');
}

function decodePayload(cursor: string): Record<string, unknown> {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw invalidCursor();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidCursor();
  return value as Record<string, unknown>;
}

/** A `(timestamp, id)` key; `isId` says what an id of the paged table looks like. */
export function decodeTimeCursor(cursor: string, isId: (id: string) => boolean): TimeCursor {
  const { t, i } = decodePayload(cursor);
  if (typeof t !== 'string' || typeof i !== 'string' || !isId(i)) throw invalidCursor();
  const at = new Date(t);
  if (Number.isNaN(at.getTime())) throw invalidCursor();
  return { at: at.toISOString(), id: i };
}

/** A positive integer key (e.g. a revision number). */
export function decodeNumberCursor(cursor: string): number {
  const { n } = decodePayload(cursor);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw invalidCursor();
  return n;
}
