import { Injectable } from '@nestjs/common';
import { rows } from '@lateral/database';
import { DataSource, type QueryRunner } from 'typeorm';
import { type ParsedLinks } from '../links/link-parser.js';
import { PAGE as DRAFT_PAGE, pageParam as draftPage } from './drafts.repository.js';
import { type RevisionRow } from './note.rows.js';

type FullRevision = RevisionRow & { body: string };

/** What recording a version needs besides the page row (see {@link recordVersion}). */
export interface VersionRecord {
  at: Date;
  links: ParsedLinks;
  restoredFrom?: number | null;
  /** The draft the save replaces (deleted with it): its owner and page (null: a new page). */
  draftOf?: { owner: string; page: string | null };
}

/**
 * The CTEs that record the version the CTE `saved` wrote (at most one row, as NOTE_COLUMNS
 * name them), to be put in the save's own statement: one round trip for a whole save, and
 * nothing recorded when `saved` wrote nothing (a stale save). They write its revision, the links
 * and media its body shows (`note_links` rows are replaced: the sub-statements share one
 * snapshot, so the DELETE removes only the rows from before; `page_media` becomes exactly the
 * media shown, unchanged rows left alone; `revision_media` only gains them, so it holds every
 * image any version showed), and delete the draft this save replaces, if any. Its parameters
 * are appended to `params`.
 */
export function recordVersion(saved: string, params: unknown[], version: VersionRecord): string {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const media = param(version.links.mediaIds);
  return `revision AS (
         INSERT INTO note_revisions (note_id, number, title, body, tags, created_at, author_id,
           author_name, restored_from)
         SELECT s.id, s.version, s.title, s.body, s.tags, ${param(version.at)}::timestamptz,
           s.updated_by_id, s.updated_by_name, ${param(version.restoredFrom ?? null)}::int
         FROM ${saved} s
       ),
       gone_media AS (
         DELETE FROM page_media USING ${saved} s
         WHERE page_id = s.id AND NOT (media_id = ANY(${media}::text[]))
       ),
       new_media AS (
         INSERT INTO page_media (page_id, media_id)
         SELECT s.id, m FROM ${saved} s, unnest(${media}::text[]) AS m
         ON CONFLICT DO NOTHING
       ),
       seen_media AS (
         INSERT INTO revision_media (page_id, media_id)
         SELECT s.id, m FROM ${saved} s, unnest(${media}::text[]) AS m
         ON CONFLICT DO NOTHING
       ),
       gone_draft AS (
         -- No owner matches NULL: no draft is deleted.
         DELETE FROM note_drafts USING ${saved} s
         WHERE owner_id = ${param(version.draftOf?.owner ?? null)}::text
           AND ${DRAFT_PAGE} = ${param(draftPage(version.draftOf?.page ?? null))}::uuid
       ),
       gone_links AS (DELETE FROM note_links USING ${saved} s WHERE source_id = s.id),
       new_links AS (
         INSERT INTO note_links (source_id, target_slug, target_id)
         SELECT s.id, t, NULL::uuid FROM ${saved} s, unnest(${param(version.links.slugs)}::text[]) AS t
         UNION ALL
         SELECT s.id, NULL::text, i FROM ${saved} s, unnest(${param(version.links.ids)}::uuid[]) AS i
       )`;
}

/** A page's history (`note_revisions`): one row per version, written by every save. */
@Injectable()
export class RevisionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Revisions newest first, without bodies; keyset on the number. */
  async list(id: string, options: { limit: number; before?: number }): Promise<RevisionRow[]> {
    return this.dataSource.query<RevisionRow[]>(
      `SELECT number, title, tags, created_at, author_id, author_name, restored_from
       FROM note_revisions
       WHERE note_id = $1 AND ($3::int IS NULL OR number < $3)
       ORDER BY number DESC LIMIT $2`,
      [id, options.limit + 1, options.before ?? null],
    );
  }

  /**
   * Who saved versions `after` + 1 … `upTo` (a merged save's other authors), in order, each once;
   * `except` (the saver) left out.
   */
  async authorsBetween(id: string, after: number, upTo: number, except: string): Promise<string[]> {
    const found = await this.dataSource.query<{ author_name: string }[]>(
      `SELECT author_name FROM note_revisions
       WHERE note_id = $1 AND number > $2 AND number <= $3 AND author_id <> $4
       GROUP BY author_name ORDER BY min(number)`,
      [id, after, upTo, except],
    );
    return found.map((row) => row.author_name);
  }

  /** One revision with its body; on `runner` when read inside a transaction (a restore). */
  async find(id: string, number: number, runner?: QueryRunner): Promise<FullRevision | undefined> {
    const sql = `SELECT number, title, body, tags, created_at, author_id, author_name,
       restored_from FROM note_revisions WHERE note_id = $1 AND number = $2`;
    const [row] = runner
      ? await rows<FullRevision>(runner, sql, [id, number])
      : await this.dataSource.query<FullRevision[]>(sql, [id, number]);
    return row;
  }
}
