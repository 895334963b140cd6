import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A title-only tsvector, so search can always consider every page whose title matches even when
 * a very common word matches most of the wiki and only a bounded set of body hits is ranked
 * (see search.repository.ts). Expand-only: the previous release ignores the column.
 */
export class TitleSearch1764200000000 implements MigrationInterface {
  name = 'TitleSearch1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notes ADD COLUMN title_search tsvector
        GENERATED ALWAYS AS (to_tsvector('english'::regconfig, notes_unaccent(title))) STORED`);
    await q.query(`CREATE INDEX notes_title_search_idx ON notes USING gin (title_search)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notes DROP COLUMN title_search`);
  }
}
