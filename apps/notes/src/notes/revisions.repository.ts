import { Injectable } from '@nestjs/common';
import { rows } from '@lateral/database';
import { DataSource, type QueryRunner } from 'typeorm';
import { type ParsedLinks } from '../links/link-parser.js';
import { PAGE as DRAFT_PAGE, pageParam as draftPage } from './drafts.repository.js';
import { type NoteRow, type RevisionRow } from './note.rows.js';

type FullRevision = RevisionRow & { body: string };

/** A page's history (`note_revisions`): one row per version, written by every save. */
@Injectable()
export class RevisionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records `row` as its version, inside the save's transaction, in one statement (one round
   * trip per save instead of five): its revision, the links and media its body shows (the
   * `note_links` rows are replaced: the sub-statements share one snapshot, so the DELETE removes
   * only the rows from before; `page_media` becomes exactly the media shown, unchanged rows left
   * alone; `revision_media` only gains them, so it holds every image any version showed), and
   * the draft this save replaces, if any: `draftOf` (its owner and page, null for the
   * owner's new page).
   */
  async record(
    runner: QueryRunner,
    version: {
      row: NoteRow;
      at: Date;
      links: ParsedLinks;
      restoredFrom?: number | null;
      draftOf?: { owner: string; page: string | null };
    },
  ): Promise<void> {
    const { row, links, draftOf } = version;
    await runner.query(
      `WITH revision AS (
         INSERT INTO note_revisions (note_id, number, title, body, tags, created_at, author_id,
           author_name, restored_from)
         VALUES ($1, $5, $6, $7, $8, $9, $10, $11, $12)
       ),
       gone_media AS (
         DELETE FROM page_media WHERE page_id = $1 AND NOT (media_id = ANY($4::text[]))
       ),
       new_media AS (
         INSERT INTO page_media (page_id, media_id)
         SELECT $1::uuid, m FROM unnest($4::text[]) AS m
         ON CONFLICT DO NOTHING
       ),
       seen_media AS (
         INSERT INTO revision_media (page_id, media_id)
         SELECT $1::uuid, m FROM unnest($4::text[]) AS m
         ON CONFLICT DO NOTHING
       ),
       gone_draft AS (
         DELETE FROM note_drafts WHERE owner_id = $13::text AND ${DRAFT_PAGE} = $14::uuid
       ),
       gone_links AS (DELETE FROM note_links WHERE source_id = $1)
       INSERT INTO note_links (source_id, target_slug, target_id)
       SELECT $1::uuid, s, NULL::uuid FROM unnest($2::text[]) AS s
       UNION ALL
       SELECT $1::uuid, NULL::text, i FROM unnest($3::uuid[]) AS i`,
      [
        row.id,
        links.slugs,
        links.ids,
        links.mediaIds,
        row.version,
        row.title,
        row.body,
        row.tags,
        version.at,
        row.updated_by_id,
        row.updated_by_name,
        version.restoredFrom ?? null,
        // No owner matches NULL: no draft is deleted.
        draftOf?.owner ?? null,
        draftPage(draftOf?.page ?? null),
      ],
    );
  }

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
