import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Which media each page shows, so notes can answer who may read an image (a private page's
 * images only for those who can read a page that uses them). Expand-only: one new table the
 * previous image neither reads nor writes. Existing pages are filled from their bodies here
 * (every `/api/v1/media/<43-character id>`, code blocks included: counting more only protects
 * more; the next save rewrites the rows with the exact parser).
 */
export class PageMedia1764600000000 implements MigrationInterface {
  name = 'PageMedia1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE page_media (
        page_id uuid NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
        media_id text NOT NULL,
        PRIMARY KEY (page_id, media_id)
      )`);
    await q.query(`CREATE INDEX page_media_media_idx ON page_media (media_id)`);
    await q.query(`
      INSERT INTO page_media (page_id, media_id)
      SELECT DISTINCT n.id, m[1]
      FROM notes n
      CROSS JOIN LATERAL regexp_matches(n.body, '/api/v1/media/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])', 'g') AS m
      ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE page_media`);
  }
}
