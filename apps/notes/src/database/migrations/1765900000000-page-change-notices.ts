import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Says, on the `lateral_page_changes` channel, what may have changed in the page views a gateway
 * keeps (NOTIFY: sent at commit, nothing for a rollback, one of each payload per transaction).
 * Triggers, so no write path can forget it, this migration's own backfills included:
 * - `page <id>`: that page was saved without moving in the tree (body, tags, who and when), or
 *   a link to it came or went (its backlinks; a link by slug names the live page with that slug
 *   and every page that had it before a rename);
 * - `all`: anything else a view shows or decides by: a page created, renamed, moved, trashed,
 *   restored or deleted (trees, wiki links, backlinks' titles), a space, a member or an old slug.
 * The notes replicas LISTEN and pass them on to the gateways (src/page-changes/).
 */
export class PageChangeNotices1765900000000 implements MigrationInterface {
  name = 'PageChangeNotices1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notes_page_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.slug = OLD.slug AND NEW.title = OLD.title
           AND NEW.space_id IS NOT DISTINCT FROM OLD.space_id
           AND NEW.parent_id IS NOT DISTINCT FROM OLD.parent_id
           AND NEW.deleted_at IS NOT DISTINCT FROM OLD.deleted_at THEN
          PERFORM pg_notify('lateral_page_changes', 'page ' || NEW.id);
        ELSE
          PERFORM pg_notify('lateral_page_changes', 'all');
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION notes_link_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        link note_links;
        target uuid;
      BEGIN
        IF TG_OP = 'DELETE' THEN link := OLD; ELSE link := NEW; END IF;
        IF link.target_id IS NOT NULL THEN
          PERFORM pg_notify('lateral_page_changes', 'page ' || link.target_id);
          RETURN NULL;
        END IF;
        -- Both lookups are indexed (the live-slug unique index, the alias primary key).
        FOR target IN
          SELECT n.id FROM notes n WHERE n.slug = link.target_slug AND n.deleted_at IS NULL
          UNION SELECT a.note_id FROM note_slug_aliases a WHERE a.slug = link.target_slug
        LOOP
          PERFORM pg_notify('lateral_page_changes', 'page ' || target);
        END LOOP;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION notes_all_pages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('lateral_page_changes', 'all');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER notes_page_changed AFTER INSERT OR UPDATE OR DELETE ON notes
        FOR EACH ROW EXECUTE FUNCTION notes_page_changed()`);
    await q.query(`
      CREATE TRIGGER notes_link_changed AFTER INSERT OR DELETE ON note_links
        FOR EACH ROW EXECUTE FUNCTION notes_link_changed()`);
    // Row triggers, not statement ones: a save's alias insert that inserts nothing says nothing.
    for (const table of ['spaces', 'space_members', 'note_slug_aliases']) {
      await q.query(`
        CREATE TRIGGER ${table}_changed AFTER INSERT OR UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION notes_all_pages_changed()`);
    }
    for (const table of ['notes', 'note_links', 'spaces', 'space_members', 'note_slug_aliases']) {
      await q.query(`
        CREATE TRIGGER ${table}_truncated AFTER TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION notes_all_pages_changed()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['notes', 'note_links', 'spaces', 'space_members', 'note_slug_aliases']) {
      await q.query(`DROP TRIGGER ${table}_truncated ON ${table}`);
    }
    for (const table of ['spaces', 'space_members', 'note_slug_aliases']) {
      await q.query(`DROP TRIGGER ${table}_changed ON ${table}`);
    }
    await q.query(`DROP TRIGGER notes_link_changed ON note_links`);
    await q.query(`DROP TRIGGER notes_page_changed ON notes`);
    await q.query(`DROP FUNCTION notes_all_pages_changed()`);
    await q.query(`DROP FUNCTION notes_link_changed()`);
    await q.query(`DROP FUNCTION notes_page_changed()`);
  }
}
