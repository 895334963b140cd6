import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Expand-only: drafts (a person's unsaved text per page, or for a new page when `note_id` is
 * null) and `note_revisions.restored_from` (nullable: the previous image's inserts leave it null).
 * Drafts go with their page when it is deleted for good (the cascade).
 */
export class Drafts1764700000000 implements MigrationInterface {
  name = 'Drafts1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE note_drafts (
        owner_id text NOT NULL,
        note_id uuid REFERENCES notes (id) ON DELETE CASCADE,
        title text NOT NULL,
        body text NOT NULL,
        tags text[] NOT NULL DEFAULT '{}',
        base_version integer,
        updated_at timestamptz NOT NULL
      )`);
    // One draft per person per page, and one for "a new page" (note_id null).
    await q.query(`
      CREATE UNIQUE INDEX note_drafts_owner_page_key ON note_drafts
        (owner_id, COALESCE(note_id, '00000000-0000-0000-0000-000000000000'::uuid))`);
    await q.query(`CREATE INDEX note_drafts_note_idx ON note_drafts (note_id)`);
    await q.query(`ALTER TABLE note_revisions ADD COLUMN restored_from integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE note_revisions DROP COLUMN restored_from`);
    await q.query(`DROP TABLE note_drafts`);
  }
}
