import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * When the last collection of unused images finished (one row), so a scheduled run on any
 * replica skips when another replica collected within the interval: each replica keeps its own
 * timer, and without it every replica collected once per interval. Expand-only: a new table the
 * previous release does not know.
 */
export class MediaCollectionRuns1765700000000 implements MigrationInterface {
  name = 'MediaCollectionRuns1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS media_collection_runs (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        finished_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS media_collection_runs`);
  }
}
