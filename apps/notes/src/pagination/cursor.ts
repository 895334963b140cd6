import { type Page } from '@lateral/contracts';
import { encodeCursor, type TimeCursor } from '@lateral/http';

// The cursor codec itself is shared with media (@lateral/http, cursor.ts); notes keeps only how
// its repositories turn `limit + 1` rows into a page.
export { type TimeCursor };

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
