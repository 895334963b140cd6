import { Injectable } from '@nestjs/common';
import { sqlLimit, type ColumnOf, type Statement } from '@lateral/database';
import { DataSource } from 'typeorm';
import { type TimeCursor } from '../pagination/cursor.js';
import { SUMMARY_COLUMNS, type NoteSummaryRow } from '../notes/note.rows.js';
import { MAX_LINKS_PER_PAGE } from './link-parser.js';
import { type PageAccess } from '../spaces/page-access.js';

/**
 * Outgoing links and shown media of each page (rewritten on every save and revision restore, by
 * RevisionsRepository.record with the version's revision) and the backlinks they add up to. Both stay while the page is in the trash (it is still readable
 * there by whoever could read it) and go with it when it is deleted for good (foreign keys).
 */
@Injectable()
export class LinksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Live pages linking to the page with this id and slug (by `[[Title]]`, page URL or API URL,
   * or by an old slug from before a rename that no live page has taken), most recently updated first. Matching by slug at read time is what makes a link written
   * before its target existed resolve once the target is created.
   */
  async backlinks(
    target: { id: string; slug: string },
    access: PageAccess,
    options: { limit: number; after?: TimeCursor },
  ): Promise<NoteSummaryRow[]> {
    const { text, params } = this.backlinksStatement(target, access, options);
    return this.dataSource.query<NoteSummaryRow[]>(text, params);
  }

  /**
   * {@link backlinks} as a statement, to be read with others in one round trip (the target may
   * be an earlier read's page: see ColumnOf).
   */
  backlinksStatement(
    target: { id: string | ColumnOf; slug: string | ColumnOf },
    access: PageAccess,
    options: { limit: number; after?: TimeCursor },
  ): Statement {
    const params: unknown[] = [target.slug, target.id];
    let after = '';
    if (options.after) {
      params.push(options.after.at, options.after.id);
      after = `AND (n.updated_at, n.id) < ($3::timestamptz, $4::uuid)`;
    }
    // Linking pages the caller cannot read are left out, as if they did not exist.
    const readable = access.readable(params);
    return {
      text: `SELECT ${SUMMARY_COLUMNS} FROM notes n
       WHERE n.deleted_at IS NULL AND n.id <> $2 AND ${readable} AND n.id IN (
         SELECT l.source_id FROM note_links l WHERE l.target_slug = $1
         UNION SELECT l.source_id FROM note_links l WHERE l.target_id = $2::uuid
         UNION SELECT l.source_id FROM note_slug_aliases a
           JOIN note_links l ON l.target_slug = a.slug
           WHERE a.note_id = $2::uuid
             AND NOT EXISTS (SELECT 1 FROM notes x WHERE x.slug = a.slug AND x.deleted_at IS NULL)
       ) ${after}
       ORDER BY n.updated_at DESC, n.id DESC LIMIT ${sqlLimit(options.limit + 1)}`,
      params,
    };
  }

  /**
   * Where each slug the page links to leads for the caller: the live page with that slug, else
   * the one that had it before a rename (as `GET /notes/:slug` finds it), `slug` null when there
   * is none they can read. One indexed lookup per link, so a page view resolves its wiki links
   * in its own statement instead of one request per link.
   */
  targetsStatement(source: { id: string | ColumnOf }, access: PageAccess): Statement {
    const params: unknown[] = [source.id];
    const readable = access.readable(params);
    return {
      text: `SELECT l.target_slug AS target, r.slug FROM note_links l
       LEFT JOIN LATERAL (
         (SELECT n.slug FROM notes n
          WHERE n.slug = l.target_slug AND n.deleted_at IS NULL AND ${readable})
         UNION ALL
         (SELECT n.slug FROM note_slug_aliases a JOIN notes n ON n.id = a.note_id
          WHERE a.slug = l.target_slug AND n.deleted_at IS NULL AND ${readable})
         LIMIT 1) r ON TRUE
       WHERE l.source_id = $1::uuid AND l.target_slug IS NOT NULL
       LIMIT ${sqlLimit(MAX_LINKS_PER_PAGE)}`,
      params,
    };
  }
}
