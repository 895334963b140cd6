import { Injectable } from '@nestjs/common';
import { rowsTogether, type Statement } from '@lateral/database';
import { DataSource } from 'typeorm';
import { LinksRepository } from '../links/links.repository.js';
import { type PageAccess } from '../spaces/page-access.js';
import { PageTreeRepository, type OpenTreeRow } from '../spaces/page-tree.repository.js';
import { SpacesRepository, type SpaceRow } from '../spaces/spaces.repository.js';
import { type NoteRow, type NoteSummaryRow } from './note.rows.js';

/** What a page view shows around a page it has read, as rows. */
export interface PageContextRows {
  backlinks?: NoteSummaryRow[];
  spaces?: SpaceRow[];
  tree?: OpenTreeRow[];
}

/**
 * The reads around a page for its view (its backlinks; the spaces the caller can read and the
 * space's tree open on the page), each the statement its own repository would run, answered
 * together by one statement (rowsTogether): one round trip to PostgreSQL after the page itself
 * instead of three side by side on three connections.
 */
@Injectable()
export class PageContextRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: LinksRepository,
    private readonly spaces: SpacesRepository,
    private readonly tree: PageTreeRepository,
  ) {}

  /**
   * `backlinks`: the first page's size; `treeLevel`: pages per level of the open tree (the
   * spaces and the tree are read when given). The page was readable, so its space is: the tree
   * is read without a second access check.
   */
  async around(
    page: NoteRow,
    access: PageAccess,
    want: { backlinks?: number; treeLevel?: number },
  ): Promise<PageContextRows> {
    const parts: Record<string, Statement> = {};
    if (want.backlinks !== undefined) {
      parts.backlinks = this.links.backlinksStatement(page, access, { limit: want.backlinks });
    }
    if (want.treeLevel !== undefined) {
      parts.spaces = this.spaces.listStatement(access);
      parts.tree = this.tree.aroundStatement(page.space_id, page.id, want.treeLevel);
    }
    if (Object.keys(parts).length === 0) return {};
    return rowsTogether(this.dataSource, parts);
  }
}
