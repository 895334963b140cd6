import { Injectable } from '@nestjs/common';
import { ColumnOf, rowsTogether, type Statement } from '@lateral/database';
import { GenericPlans } from '../database/generic-plans.js';
import { DataSource } from 'typeorm';
import { LinksRepository } from '../links/links.repository.js';
import { type PageAccess } from '../spaces/page-access.js';
import { PageTreeRepository, type OpenTreeRow } from '../spaces/page-tree.repository.js';
import { SpacesRepository, type SpaceRow } from '../spaces/spaces.repository.js';
import { type NoteRow, type NoteSummaryRow } from './note.rows.js';
import { NotesRepository } from './notes.repository.js';

/** A page and what its view shows around it, as rows; `page` absent when there is none. */
export interface PageContextRows {
  page?: NoteRow;
  backlinks?: NoteSummaryRow[];
  spaces?: SpaceRow[];
  tree?: OpenTreeRow[];
  links?: LinkTargetRow[];
}

/** Where one of the page's links leads (LinksRepository.targetsStatement). */
export interface LinkTargetRow {
  target: string;
  slug: string | null;
}

/**
 * What to read around the page: `backlinks`, the first page's size; `treeLevel`, pages per level
 * of the open tree (the spaces and the tree are read when given); `links`, where its links lead.
 */
export interface PageContextWants {
  backlinks?: number;
  treeLevel?: number;
  links?: boolean;
}

/** The page's own columns the reads around it start from. */
const PAGE = {
  id: new ColumnOf('page', 'id'),
  slug: new ColumnOf('page', 'slug'),
  spaceId: new ColumnOf('page', 'space_id'),
};

/**
 * A page view's reads: the page (as NotesRepository finds it for the caller), its backlinks, the
 * spaces the caller can read and the space's tree open on the page, each the statement its own
 * repository would run, answered together by one statement (rowsTogether): one round trip to
 * PostgreSQL instead of the page and then three reads side by side on three connections. The
 * reads around the page take its id, slug and space from the page's row in the same statement
 * (nothing when the caller cannot read it); the tree is read without a second access check, as
 * the page was readable, so its space is.
 */
@Injectable()
export class PageContextRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notes: NotesRepository,
    private readonly links: LinksRepository,
    private readonly spaces: SpacesRepository,
    private readonly tree: PageTreeRepository,
    private readonly genericPlans: GenericPlans,
  ) {}

  async pageAround(
    key: { id: string } | { slug: string },
    access: PageAccess,
    want: PageContextWants,
  ): Promise<PageContextRows> {
    const parts = this.pageAroundParts(key, access, want);
    // Every part reads by key, so one plan fits every page: with context, made once per
    // connection on the generic-plan pool (PostgreSQL re-planned it for every view, 4.6 ms on a
    // 100k-page wiki). The page alone stays on the data source's larger pool, where PostgreSQL
    // settles on a generic plan by itself and the cheapest read is not held up by a view.
    const rows = await rowsTogether<Omit<PageContextRows, 'page'> & { page: NoteRow[] }>(
      this.dataSource,
      parts,
      Object.keys(parts).length > 1 ? this.genericPlans.get() : undefined,
    );
    const [page] = rows.page;
    return page ? { ...rows, page } : {};
  }

  /** The reads of {@link pageAround}, one statement each (statementTogether makes them one). */
  pageAroundParts(
    key: { id: string } | { slug: string },
    access: PageAccess,
    want: PageContextWants,
  ): Partial<Record<keyof PageContextRows, Statement>> {
    const parts: Partial<Record<keyof PageContextRows, Statement>> = {
      page: this.notes.findStatement(key, access),
    };
    if (want.backlinks !== undefined) {
      parts.backlinks = this.links.backlinksStatement({ id: PAGE.id, slug: PAGE.slug }, access, {
        limit: want.backlinks,
      });
    }
    if (want.treeLevel !== undefined) {
      parts.spaces = this.spaces.listStatement(access);
      parts.tree = this.tree.aroundStatement(PAGE.spaceId, PAGE.id, want.treeLevel);
    }
    if (want.links) parts.links = this.links.targetsStatement({ id: PAGE.id }, access);
    return parts;
  }
}
