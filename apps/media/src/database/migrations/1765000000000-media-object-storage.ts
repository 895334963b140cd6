import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Files may live in an object store: `store` says where each file's bytes are (`bytea` in
 * `data`, or `s3` under the key named by its SHA-256, the ETag), so reads follow the row and a
 * migration moves files one row at a time while the service serves. Expand-only: existing rows
 * default to `bytea` (metadata-only in PostgreSQL 11+), `data` becomes nullable. The check is
 * added NOT VALID and validated separately, so the scan holds no ACCESS EXCLUSIVE lock. The
 * partial index serves the janitor's "does any row point to this object?".
 *
 * A previous version reads `data` without looking at `store`: roll back the image only while no
 * row is in S3 (MEDIA_STORAGE=bytea and `media:migrate-storage -- --to bytea` done).
 */
export class MediaObjectStorage1765000000000 implements MigrationInterface {
  name = 'MediaObjectStorage1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE media_files ADD COLUMN store text NOT NULL DEFAULT 'bytea'`);
    await q.query(`ALTER TABLE media_files ALTER COLUMN data DROP NOT NULL`);
    await q.query(
      `ALTER TABLE media_files ADD CONSTRAINT media_files_store_check
         CHECK (store IN ('bytea', 's3') AND (store = 'bytea') = (data IS NOT NULL)) NOT VALID`,
    );
    await q.query(`ALTER TABLE media_files VALIDATE CONSTRAINT media_files_store_check`);
    await q.query(`CREATE INDEX media_files_s3_etag_idx ON media_files (etag) WHERE store = 's3'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX media_files_s3_etag_idx`);
    await q.query(`ALTER TABLE media_files DROP CONSTRAINT media_files_store_check`);
    await q.query(`ALTER TABLE media_files ALTER COLUMN data SET NOT NULL`);
    await q.query(`ALTER TABLE media_files DROP COLUMN store`);
  }
}
