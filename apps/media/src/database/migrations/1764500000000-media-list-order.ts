import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * "My uploads" pages in millisecond order. `created_at` comes from `now()` (microseconds) but
 * the shared keyset cursor carries milliseconds, so the list orders and compares on the
 * creation time truncated to the millisecond (`AT TIME ZONE 'UTC'` makes the expression
 * immutable, so it can be indexed). This index serves that ORDER BY; the older
 * `media_items_uploaded_by_idx` stays until no running version reads it (expand-only).
 */
export class MediaListOrder1764500000000 implements MigrationInterface {
  name = 'MediaListOrder1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX media_items_uploader_recent_idx ON media_items
         (uploaded_by, date_trunc('milliseconds', created_at AT TIME ZONE 'UTC') DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX media_items_uploader_recent_idx`);
  }
}
