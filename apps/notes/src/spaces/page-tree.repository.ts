import { Injectable } from '@nestjs/common';
import { inTransaction, rows, sqlLimit, type ColumnOf, type Statement } from '@lateral/database';
import { DataSource, type QueryRunner } from 'typeorm';
import { SearchRepository } from '../search/search.repository.js';

/**
 * Moves take this advisory lock exclusively, creates under a parent take it shared: two moves
 * cannot each pass the cycle check and together make a cycle, and a child is never created in
 * the old space of a parent that is moving. Moves are rare, so one lock for all of them is enough.
 */
const TREE_LOCK = 0x5bace;

export interface TreeRow {
  id: string;
  slug: string;
  title: string;
  parent_id: string | null;
}

/** A row of {@link PageTreeRepository.around}: whether the page has live sub-pages of its own. */
export interface OpenTreeRow extends TreeRow {
  has_children: boolean;
  /** On the way from the top to the page asked about (kept past a level's limit). */
  on_path: boolean;
}

/** Inside a create's transaction: whether `parentId` is a live page in `spaceId` (shared lock). */
export async function parentInSpace(
  runner: QueryRunner,
  parentId: string,
  spaceId: string,
): Promise<boolean> {
  await runner.query(`SELECT pg_advisory_xact_lock_shared($1)`, [TREE_LOCK]);
  const found = await rows<{ id: string }>(
    runner,
    `SELECT id FROM notes WHERE id = $1 AND space_id = $2 AND deleted_at IS NULL`,
    [parentId, spaceId],
  );
  return found.length > 0;
}

export type MoveResult = 'moved' | 'missing' | 'invalid_parent' | 'cycle';

/**
 * Inside a transaction: moves page `id` and its whole subtree (trashed pages too, so they come
 * back in the right space) into `spaceId`, and hangs `id` under `parentId` (null: the top).
 * Refused, with nothing written, when the parent is not a live page of that space, or is the page
 * itself or below it. When the space changes, the subtree's "did you mean" words move with it
 * (see {@link SearchRepository.moveTerms}). NotesRepository runs this in a save's transaction.
 */
export async function movePage(
  runner: QueryRunner,
  search: SearchRepository,
  input: { id: string; spaceId: string; parentId: string | null },
): Promise<MoveResult> {
  await runner.query(`SELECT pg_advisory_xact_lock($1)`, [TREE_LOCK]);
  const page = await rows<{ id: string; space_id: string }>(
    runner,
    `SELECT id, space_id FROM notes WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
    [input.id],
  );
  if (page.length === 0) return 'missing';
  if (input.parentId) {
    const parent = await rows<{ id: string }>(
      runner,
      `SELECT id FROM notes WHERE id = $1 AND space_id = $2 AND deleted_at IS NULL`,
      [input.parentId, input.spaceId],
    );
    if (parent.length === 0) return 'invalid_parent';
    const inside = await rows<{ id: string }>(
      runner,
      `WITH RECURSIVE sub AS (
         SELECT id FROM notes WHERE id = $1
         UNION SELECT n.id FROM notes n JOIN sub ON n.parent_id = sub.id)
       SELECT id FROM sub WHERE id = $2`,
      [input.id, input.parentId],
    );
    if (inside.length > 0) return 'cycle';
  }
  const moved = await rows<{ id: string; space_id: string }>(
    runner,
    `WITH RECURSIVE sub AS (
       SELECT id FROM notes WHERE id = $1
       UNION SELECT n.id FROM notes n JOIN sub ON n.parent_id = sub.id),
     old AS (SELECT id, space_id FROM notes WHERE id IN (SELECT id FROM sub) AND space_id <> $2)
     UPDATE notes n SET space_id = $2 FROM old WHERE n.id = old.id
     RETURNING n.id, old.space_id`,
    [input.id, input.spaceId],
  );
  await runner.query(`UPDATE notes SET parent_id = $2 WHERE id = $1`, [input.id, input.parentId]);
  for (const from of new Set(moved.map((m) => m.space_id))) {
    const ids = moved.filter((m) => m.space_id === from).map((m) => m.id);
    await search.moveTerms(runner, { ids, from, to: input.spaceId });
  }
  return 'moved';
}

/** Page nesting: the tree of a space, and moving a page with everything under it. */
@Injectable()
export class PageTreeRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly search: SearchRepository,
  ) {}

  /** {@link movePage} in its own transaction. */
  async move(input: { id: string; spaceId: string; parentId: string | null }): Promise<MoveResult> {
    return inTransaction(this.dataSource, (runner) => movePage(runner, this.search, input));
  }

  /**
   * The part of a space's tree a sidebar shows open on one page: the top of the space and the
   * sub-pages of the page and of each page above it, each level ordered by title and cut at
   * `perLevel + 1` rows (so the caller can tell it was cut), plus the pages on the way down even
   * when they sort past the cut. Every row says whether it has sub-pages of its own. The work is
   * bounded by the page's depth and `perLevel`, not by the space's size: each level is one ordered
   * scan of an index (the top: notes_space_roots_idx; sub-pages: notes_space_tree_idx). `pageId`
   * null, or not a live page of the space: the top only.
   */
  async around(spaceId: string, pageId: string | null, perLevel: number): Promise<OpenTreeRow[]> {
    const { text, params } = this.aroundStatement(spaceId, pageId, perLevel);
    return this.dataSource.query<OpenTreeRow[]>(text, params);
  }

  /**
   * {@link around} as a statement, to be read with others in one round trip (the page may be an
   * earlier read's: see ColumnOf).
   */
  aroundStatement(
    spaceId: string | ColumnOf,
    pageId: string | ColumnOf | null,
    perLevel: number,
  ): Statement {
    // One more row than shown, so the caller can tell a level was cut.
    const level = sqlLimit(perLevel + 1);
    return {
      text: `WITH RECURSIVE path AS (
         SELECT id, parent_id, 1 AS depth FROM notes
         WHERE id = $2 AND space_id = $1 AND deleted_at IS NULL
         UNION ALL
         SELECT p.id, p.parent_id, path.depth + 1 FROM notes p JOIN path ON p.id = path.parent_id
         WHERE p.space_id = $1 AND p.deleted_at IS NULL AND path.depth < 100
       ),
       shown AS (
         (SELECT id, slug, title, NULL::uuid AS parent_id FROM notes
          WHERE space_id = $1 AND parent_id IS NULL AND deleted_at IS NULL
          ORDER BY lower(title), id LIMIT ${level})
         UNION
         -- A page whose parent is in the trash shows at the top, as in the whole tree. Trashed
         -- pages are few and indexed; a move takes a page's whole subtree along, so a live
         -- page's parent is never in another space.
         (SELECT n.id, n.slug, n.title, NULL::uuid FROM notes t JOIN notes n ON n.parent_id = t.id
          WHERE t.deleted_at IS NOT NULL AND n.space_id = $1 AND n.deleted_at IS NULL
          ORDER BY lower(n.title), n.id LIMIT ${level})
         UNION
         SELECT c.id, c.slug, c.title, path.id FROM path CROSS JOIN LATERAL
           (SELECT id, slug, title FROM notes
            WHERE space_id = $1 AND parent_id = path.id AND deleted_at IS NULL
            ORDER BY lower(title), id LIMIT ${level}) c
         UNION
         SELECT n.id, n.slug, n.title,
           CASE WHEN p.deleted_at IS NULL THEN n.parent_id END
         FROM path JOIN notes n ON n.id = path.id LEFT JOIN notes p ON p.id = n.parent_id
       )
       SELECT s.id, s.slug, s.title, s.parent_id,
         EXISTS (SELECT 1 FROM notes k
                 WHERE k.space_id = $1 AND k.parent_id = s.id AND k.deleted_at IS NULL)
           AS has_children,
         s.id IN (SELECT id FROM path) AS on_path
       FROM shown s
       ORDER BY lower(s.title), s.id`,
      params: [spaceId, pageId],
    };
  }

  /**
   * The live pages of a space, ordered by title (notes_space_title_idx), at most `limit`. A page
   * whose parent is trashed shows at the top (parentId null), so every listed page is reachable
   * in the tree.
   */
  async tree(spaceId: string, limit: number): Promise<TreeRow[]> {
    return this.dataSource.query<TreeRow[]>(
      `SELECT n.id, n.slug, n.title,
         CASE WHEN p.deleted_at IS NULL AND p.space_id = n.space_id THEN n.parent_id END AS parent_id
       FROM notes n LEFT JOIN notes p ON p.id = n.parent_id
       WHERE n.space_id = $1 AND n.deleted_at IS NULL
       ORDER BY lower(n.title), n.id
       LIMIT $2`,
      [spaceId, limit],
    );
  }
}
