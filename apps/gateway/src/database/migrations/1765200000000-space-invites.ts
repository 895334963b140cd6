import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Invites into a space (#12): the space (notes' id, text: the gateway does not assume another
 * service's id format; and its name when invited, for the invite
 * page and mail) and the role there. Expand-only: three nullable columns, all set or none; the
 * previous version writes none and never reads them.
 */
export class SpaceInvites1765200000000 implements MigrationInterface {
  name = 'SpaceInvites1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE invites
        ADD COLUMN space_id text,
        ADD COLUMN space_name text,
        ADD COLUMN space_role text,
        ADD CONSTRAINT invites_space_check CHECK (
          (space_id IS NULL AND space_name IS NULL AND space_role IS NULL)
          OR (space_id IS NOT NULL AND space_name IS NOT NULL
              AND space_role IN ('reader', 'editor', 'admin')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE invites DROP CONSTRAINT invites_space_check,
        DROP COLUMN space_role, DROP COLUMN space_name, DROP COLUMN space_id`);
  }
}
