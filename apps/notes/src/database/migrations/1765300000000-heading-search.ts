import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A title-and-tags tsvector (title A, tags B) with its own GIN index: search considers every
 * page whose title or tags match before any page that has the words only in its body, and ranks
 * those heading matches on this small vector instead of the whole page (see search.repository.ts).
 * Expand-only: the previous release ignores the column (and keeps using `title_search`, which
 * a later release may drop). Adding a stored column rewrites `notes` once under an exclusive
 * lock: 39 s for the benchmark's 100,000 pages, index and ANALYZE included, on a busy machine.
 */
export class HeadingSearch1765300000000 implements MigrationInterface {
  name = 'HeadingSearch1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notes ADD COLUMN heading_search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, notes_unaccent(title)), 'A') ||
        setweight(to_tsvector('english'::regconfig, notes_unaccent(notes_tags_text(tags))), 'B')
      ) STORED`);
    await q.query(`CREATE INDEX notes_heading_search_idx ON notes USING gin (heading_search)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notes DROP COLUMN heading_search`);
  }
}
