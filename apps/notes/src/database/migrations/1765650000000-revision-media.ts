import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Every image any version of a page has shown (`page_media` holds only the current text's), so
 * the collection of unused images (docs/notes.md, "Images no page uses") keeps an image an old
 * revision shows: restoring that revision must not bring back a broken image. Rows are only
 * added (by each save, with the revision) and go with the page when it is deleted for good.
 * Expand-only: a new table the previous image neither reads nor writes; existing revisions are
 * read here once (code blocks included: counting more only keeps more).
 */
export class RevisionMedia1765650000000 implements MigrationInterface {
  name = 'RevisionMedia1765650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE revision_media (
        page_id uuid NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
        media_id text NOT NULL,
        PRIMARY KEY (page_id, media_id)
      )`);
    await q.query(`CREATE INDEX revision_media_media_idx ON revision_media (media_id)`);
    await q.query(`
      INSERT INTO revision_media (page_id, media_id)
      SELECT DISTINCT r.note_id, m[1]
      FROM note_revisions r
      CROSS JOIN LATERAL regexp_matches(r.body, '/api/v1/media/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])', 'g') AS m
      ON CONFLICT DO NOTHING`);
    // Pages whose current text was never recorded as a revision (none expected) count too.
    await q.query(`
      INSERT INTO revision_media (page_id, media_id)
      SELECT page_id, media_id FROM page_media
      ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE revision_media`);
  }
}
