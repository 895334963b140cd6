import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type PageAccess } from '../spaces/page-access.js';

/** How the pages that show one image stand towards the caller. */
export interface MediaStanding {
  /** Some page (live or in the trash) in a private space shows it. */
  inPrivatePage: boolean;
  /** The caller can read one of those private pages. */
  readablePrivatePage: boolean;
}

/** `page_media` (kept by `LinksRepository` on every save) read against the access rule. */
@Injectable()
export class MediaAccessRepository {
  constructor(private readonly dataSource: DataSource) {}

  async standing(mediaId: string, access: PageAccess): Promise<MediaStanding> {
    const params: unknown[] = [mediaId];
    // A page whose space is unknown (NULL) counts as private and readable by admins only:
    // the rule fails closed, as PageAccess.readable does.
    const readable = access.readable(params);
    const rows = await this.dataSource.query<
      { in_private: boolean | null; readable_private: boolean | null }[]
    >(
      `SELECT bool_or(p.private) AS in_private,
              bool_or(p.private AND p.readable) AS readable_private
       FROM (
         SELECT COALESCE(s.visibility, 'private') = 'private' AS private, ${readable} AS readable
         FROM page_media pm
         JOIN notes n ON n.id = pm.page_id
         LEFT JOIN spaces s ON s.id = n.space_id
         WHERE pm.media_id = $1
       ) p`,
      params,
    );
    const row = rows[0];
    return {
      inPrivatePage: row?.in_private === true,
      readablePrivatePage: row?.readable_private === true,
    };
  }

  /**
   * The ids something still uses: a page (live or in the trash) that shows it now or showed it
   * in any version (`revision_media`), or a draft's text. Drafts are few (one per person per page,
   * gone on save), so their bodies are read as they are; code blocks count there (keeps more).
   */
  async referenced(mediaIds: string[]): Promise<string[]> {
    const rows = await this.dataSource.query<{ media_id: string }[]>(
      `SELECT media_id FROM revision_media WHERE media_id = ANY($1::text[])
       UNION
       SELECT media_id FROM page_media WHERE media_id = ANY($1::text[])
       UNION
       SELECT m[1] FROM note_drafts d
       CROSS JOIN LATERAL regexp_matches(d.body, '/api/v1/media/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])', 'g') AS m
       WHERE m[1] = ANY($1::text[])`,
      [mediaIds],
    );
    return rows.map((r) => r.media_id);
  }
}
