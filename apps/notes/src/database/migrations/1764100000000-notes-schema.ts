import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Pages, their revisions and outgoing links, and the search machinery.
 *
 * `unaccent()` is only STABLE (its dictionary could be changed under it), so it cannot appear in
 * a generated column or an index expression. The usual trick: an IMMUTABLE SQL wrapper that names
 * the dictionary with its schema, so the function's result cannot depend on `search_path`.
 * `array_to_string` is STABLE for the same general reason (element output functions); for
 * `text[]` it is deterministic, hence the second wrapper.
 */
export class NotesSchema1764100000000 implements MigrationInterface {
  name = 'NotesSchema1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public`);
    await q.query(`
      CREATE FUNCTION notes_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        RETURN public.unaccent('public.unaccent'::regdictionary, $1)`);
    await q.query(`
      CREATE FUNCTION notes_tags_text(text[]) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        RETURN array_to_string($1, ' ')`);

    // For ts_headline only: it re-parses the original body, so it needs a configuration that
    // folds accents itself to see "Café" as the query's "cafe" and highlight it.
    await q.query(`CREATE TEXT SEARCH CONFIGURATION notes_headline (COPY = english)`);
    await q.query(`
      ALTER TEXT SEARCH CONFIGURATION notes_headline
        ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, english_stem`);

    await q.query(`
      CREATE TABLE notes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        tags text[] NOT NULL DEFAULT '{}',
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        created_by_id text NOT NULL,
        created_by_name text NOT NULL,
        updated_by_id text NOT NULL,
        updated_by_name text NOT NULL,
        deleted_at timestamptz,
        deleted_by_id text,
        import_key text,
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english'::regconfig, notes_unaccent(title)), 'A') ||
          setweight(to_tsvector('english'::regconfig, notes_unaccent(notes_tags_text(tags))), 'B') ||
          setweight(to_tsvector('english'::regconfig, notes_unaccent(body)), 'C')
        ) STORED,
        CONSTRAINT notes_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
      )`);
    // Slugs are unique among live pages; a trashed page keeps its slug and is checked on restore.
    await q.query(
      `CREATE UNIQUE INDEX notes_slug_live_key ON notes (slug) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE UNIQUE INDEX notes_import_key ON notes (import_key)`);
    // Keyset pagination: recent pages, and the trash.
    await q.query(
      `CREATE INDEX notes_recent_idx ON notes (updated_at DESC, id DESC) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX notes_trash_idx ON notes (deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX notes_tags_idx ON notes USING gin (tags) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX notes_search_idx ON notes USING gin (search)`);
    await q.query(
      `CREATE INDEX notes_title_trgm_idx ON notes USING gin (notes_unaccent(title) gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE note_revisions (
        note_id uuid NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
        number integer NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        tags text[] NOT NULL,
        created_at timestamptz NOT NULL,
        author_id text NOT NULL,
        author_name text NOT NULL,
        PRIMARY KEY (note_id, number)
      )`);

    // Links are stored by target slug or id, never by a resolved foreign key, so a link to a page
    // that does not exist yet resolves the moment a page with that title is created.
    await q.query(`
      CREATE TABLE note_links (
        source_id uuid NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
        target_slug text,
        target_id uuid,
        CONSTRAINT note_links_one_target CHECK ((target_slug IS NULL) <> (target_id IS NULL))
      )`);
    await q.query(`CREATE INDEX note_links_source_idx ON note_links (source_id)`);
    await q.query(
      `CREATE INDEX note_links_slug_idx ON note_links (target_slug) WHERE target_slug IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX note_links_id_idx ON note_links (target_id) WHERE target_id IS NOT NULL`,
    );

    // Words seen in pages, for "did you mean". Insert-only: a word that later disappears costs a
    // row; suggestions are re-checked against the index before they are offered.
    await q.query(`CREATE TABLE search_terms (term text PRIMARY KEY)`);
    await q.query(
      `CREATE INDEX search_terms_trgm_idx ON search_terms USING gin (term gin_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE search_terms`);
    await q.query(`DROP TABLE note_links`);
    await q.query(`DROP TABLE note_revisions`);
    await q.query(`DROP TABLE notes`);
    await q.query(`DROP TEXT SEARCH CONFIGURATION notes_headline`);
    await q.query(`DROP FUNCTION notes_tags_text(text[])`);
    await q.query(`DROP FUNCTION notes_unaccent(text)`);
  }
}
