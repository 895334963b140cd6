import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { DEFAULT_SPACE_ID, DEFAULT_SPACE_SLUG } from '../default-space.js';

/**
 * Spaces, their members, and where each page sits (space and parent page). Expand only: the
 * previous release keeps working during a rollout and after a revert.
 *
 * - `notes.space_id` is nullable with a DEFAULT of the default space, so the previous release's
 *   INSERT without the column still lands the page in a space. A constant DEFAULT on ADD COLUMN
 *   also fills every existing row without rewriting the table (PostgreSQL 11+). The contract
 *   migration (a later release) sets NOT NULL and drops the default (docs/notes.md).
 * - `parent_id` is ON DELETE SET NULL: "delete forever" of a parent leaves its children at the top.
 *   Same space and no cycles are the service's rules (moves are serialized, see notes.repository).
 * - Tag counts and "did you mean" words are kept per space (new tables; the old `tag_counts` and
 *   `search_terms` stay for the previous release), so both can be limited to the spaces a caller
 *   can read without scanning pages.
 */
export class Spaces1764500000000 implements MigrationInterface {
  name = 'Spaces1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE spaces (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        visibility text NOT NULL,
        created_at timestamptz NOT NULL,
        created_by_id text NOT NULL,
        created_by_name text NOT NULL,
        CONSTRAINT spaces_slug_key UNIQUE (slug),
        CONSTRAINT spaces_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        CONSTRAINT spaces_visibility CHECK (visibility IN ('team', 'private'))
      )`);
    await q.query(`
      CREATE TABLE space_members (
        space_id uuid NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
        user_id text NOT NULL,
        role text NOT NULL,
        added_at timestamptz NOT NULL,
        PRIMARY KEY (space_id, user_id),
        CONSTRAINT space_members_role CHECK (role IN ('reader', 'editor', 'admin'))
      )`);
    // "Which spaces is this person in", asked by every read.
    await q.query(`CREATE INDEX space_members_user_idx ON space_members (user_id, space_id)`);
    await q.query(
      `INSERT INTO spaces (id, slug, name, description, visibility, created_at, created_by_id, created_by_name)
       VALUES ($1, $2, 'Team', 'Every page from before spaces existed.', 'team', now(), 'system', 'Lateral')`,
      [DEFAULT_SPACE_ID, DEFAULT_SPACE_SLUG],
    );

    await q.query(`
      ALTER TABLE notes
        ADD COLUMN space_id uuid DEFAULT '${DEFAULT_SPACE_ID}' REFERENCES spaces (id),
        ADD COLUMN parent_id uuid REFERENCES notes (id) ON DELETE SET NULL`);
    // Rows written before this migration already carry the DEFAULT; this covers none today but
    // keeps the backfill explicit should the column ever have been added without one.
    await q.query(`UPDATE notes SET space_id = $1 WHERE space_id IS NULL`, [DEFAULT_SPACE_ID]);
    await q.query(`CREATE INDEX notes_space_parent_idx ON notes (space_id, parent_id)`);
    await q.query(`CREATE INDEX notes_parent_idx ON notes (parent_id) WHERE parent_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE space_tag_counts (
        space_id uuid NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
        tag text NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (space_id, tag)
      )`);
    // As notes_tag_counts (1764300000000), keyed by space too; a move between spaces moves the
    // counts. Deltas are applied in (space, tag) order so concurrent saves cannot deadlock.
    await q.query(`
      CREATE FUNCTION notes_space_tag_counts() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        old_tags text[] := '{}';
        new_tags text[] := '{}';
        old_space uuid;
        new_space uuid;
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN
          old_tags := OLD.tags; old_space := OLD.space_id;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN
          new_tags := NEW.tags; new_space := NEW.space_id;
        END IF;
        IF old_tags = new_tags AND old_space IS NOT DISTINCT FROM new_space THEN RETURN NULL; END IF;
        INSERT INTO space_tag_counts AS c (space_id, tag, count)
          SELECT d.space_id, d.tag, sum(d.delta)::int FROM (
            SELECT DISTINCT new_space AS space_id, unnest(new_tags) AS tag, 1 AS delta
            UNION ALL
            SELECT DISTINCT old_space, unnest(old_tags), -1
          ) AS d
          WHERE d.space_id IS NOT NULL
          GROUP BY d.space_id, d.tag HAVING sum(d.delta) <> 0
          ORDER BY d.space_id, d.tag
          ON CONFLICT (space_id, tag) DO UPDATE SET count = c.count + EXCLUDED.count;
        DELETE FROM space_tag_counts WHERE space_id = old_space AND tag = ANY (old_tags) AND count <= 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER notes_space_tag_counts
        AFTER INSERT OR DELETE OR UPDATE OF tags, deleted_at, space_id ON notes
        FOR EACH ROW EXECUTE FUNCTION notes_space_tag_counts()`);
    await q.query(`
      INSERT INTO space_tag_counts (space_id, tag, count)
        SELECT n.space_id, t.tag, count(*) FROM notes n, unnest(n.tags) AS t(tag)
        WHERE n.deleted_at IS NULL AND n.space_id IS NOT NULL GROUP BY n.space_id, t.tag`);

    // "Did you mean" words per space: a suggestion is made only of words from spaces the caller
    // can read. Every page so far is in the default space, so its words are all of search_terms.
    await q.query(`
      CREATE TABLE space_search_terms (
        space_id uuid NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
        term text NOT NULL,
        PRIMARY KEY (space_id, term)
      )`);
    await q.query(
      `CREATE INDEX space_search_terms_trgm_idx ON space_search_terms USING gin (term gin_trgm_ops)`,
    );
    await q.query(
      `INSERT INTO space_search_terms (space_id, term) SELECT $1, term FROM search_terms`,
      [DEFAULT_SPACE_ID],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE space_search_terms`);
    await q.query(`DROP TRIGGER notes_space_tag_counts ON notes`);
    await q.query(`DROP FUNCTION notes_space_tag_counts()`);
    await q.query(`DROP TABLE space_tag_counts`);
    await q.query(`ALTER TABLE notes DROP COLUMN parent_id, DROP COLUMN space_id`);
    await q.query(`DROP TABLE space_members`);
    await q.query(`DROP TABLE spaces`);
  }
}
