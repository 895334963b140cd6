import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The sidebar's tree levels in order: the live sub-pages of one parent (or the top of a space,
 * parent NULL) by title, so a level's first rows are an index scan however large the space
 * (page-tree.repository.ts, `around`). Expand-only: the previous release does not use it.
 */
export class SpaceTreeIndex1765500000000 implements MigrationInterface {
  name = 'SpaceTreeIndex1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS notes_space_tree_idx
         ON notes (space_id, parent_id, lower(title), id) WHERE deleted_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS notes_space_tree_idx`);
  }
}
