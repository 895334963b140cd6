import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Images and their stored renditions. `media_items.id` is the SHA-256 of the uploaded bytes
 * (base64url), so the same file uploaded twice is one row and URLs never change meaning.
 * Bytes live in `media_files`, away from the metadata, so listing or reading metadata never
 * drags image data through the pool. `name` is `original` or `<width>.<format>`.
 */
export class MediaSchema1764100000000 implements MigrationInterface {
  name = 'MediaSchema1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE media_items (
        id            text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,128}$'),
        content_type  text NOT NULL,
        input_format  text NOT NULL,
        width         integer NOT NULL CHECK (width > 0),
        height        integer NOT NULL CHECK (height > 0),
        bytes         integer NOT NULL CHECK (bytes >= 0),
        upload_bytes  integer NOT NULL CHECK (upload_bytes >= 0),
        has_alpha     boolean NOT NULL,
        frames        integer NOT NULL DEFAULT 1,
        thumbhash     text,
        taken_at      timestamptz,
        camera_make   text,
        camera_model  text,
        location      jsonb,
        uploaded_by   text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX media_items_uploaded_by_idx ON media_items (uploaded_by, created_at DESC)`,
    );
    await q.query(`
      CREATE TABLE media_files (
        media_id      text NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
        name          text NOT NULL,
        content_type  text NOT NULL,
        width         integer NOT NULL,
        height        integer NOT NULL,
        bytes         integer NOT NULL,
        etag          text NOT NULL,
        data          bytea NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (media_id, name)
      )`);
    // Image bytes are already compressed: skip TOAST's pglz attempt (pure CPU, no gain).
    await q.query(`ALTER TABLE media_files ALTER COLUMN data SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE media_files`);
    await q.query(`DROP TABLE media_items`);
  }
}
