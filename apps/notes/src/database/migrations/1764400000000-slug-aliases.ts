import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Old slugs of renamed pages, so `/notes/<old-slug>` links and `[[Old Title]]` links keep
 * reaching the page. A live page that has the slug itself always wins over an alias.
 */
export class SlugAliases1764400000000 implements MigrationInterface {
  name = 'SlugAliases1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE note_slug_aliases (
        slug text PRIMARY KEY,
        note_id uuid NOT NULL REFERENCES notes (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX note_slug_aliases_note_idx ON note_slug_aliases (note_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE note_slug_aliases`);
  }
}
