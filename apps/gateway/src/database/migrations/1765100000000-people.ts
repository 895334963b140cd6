import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Invites, password reset links and API token expiry (#12). Expand-only: two new tables and a
 * nullable column, so the previous version keeps running against this schema during a rollout.
 */
export class People1765100000000 implements MigrationInterface {
  name = 'People1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE invites (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
        token_hash text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX invites_token_hash_key ON invites (token_hash)`);
    await q.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX password_resets_token_hash_key ON password_resets (token_hash)`,
    );
    await q.query(`CREATE INDEX password_resets_user_idx ON password_resets (user_id)`);
    await q.query(`ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens DROP COLUMN expires_at`);
    await q.query(`DROP TABLE password_resets`);
    await q.query(`DROP TABLE invites`);
  }
}
