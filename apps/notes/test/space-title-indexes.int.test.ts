import { inTransaction, rows, statementTogether } from '@lateral/database';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_SPACE_ID } from '../src/database/default-space.js';
import { SpaceTitleIndexes1765800000000 } from '../src/database/migrations/1765800000000-space-title-indexes.js';
import { GenericPlans } from '../src/database/generic-plans.js';
import { LinksRepository } from '../src/links/links.repository.js';
import { PageContextRepository } from '../src/notes/page-context.repository.js';
import { PageAccess } from '../src/spaces/page-access.js';
import { PageTreeRepository } from '../src/spaces/page-tree.repository.js';
import { SpacesRepository } from '../src/spaces/spaces.repository.js';
import { MAX_TREE_LEVEL_PAGES, MAX_TREE_PAGES } from '../src/spaces/spaces.service.js';
import { AUTHOR, openNotesDb, type NotesDb } from './notes-db.js';

let h: NotesDb;
let tree: PageTreeRepository;
let rootId: string;

/** Pages seeded at the top of the space, and under one of them. */
const ROOTS = 300;
const CHILDREN = 3000;

beforeAll(async () => {
  h = await openNotesDb(inject('postgresAdminUrl'));
  tree = new PageTreeRepository(h.dataSource, h.searchRepository);
  const { note: root } = await h.notes.create(
    { title: 'Runbooks', body: 'Top.', tags: [] },
    AUTHOR,
  );
  rootId = root.id;
  // A space large enough for PostgreSQL to plan as for a real one (on a few rows any plan goes).
  const seed = (prefix: string, count: number, parentId: string | null) =>
    h.dataSource.query(
      `INSERT INTO notes (slug, title, body, tags, created_at, updated_at, parent_id,
         created_by_id, created_by_name, updated_by_id, updated_by_name)
       SELECT $1 || '-' || i, initcap($1) || ' ' || i, 'text', '{}', now(), now(), $3::uuid,
         'u', 'U', 'u', 'U'
       FROM generate_series(1, $2) AS i`,
      [prefix, count, parentId],
    );
  await seed('top', ROOTS - 1, null);
  await seed('step', CHILDREN, root.id);
  await h.dataSource.query('ANALYZE notes');
});
afterAll(() => h.close());

async function planOf(text: string, params: unknown[]): Promise<string> {
  const rows = await h.dataSource.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${text}`, params);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

/** The space home's tree (PageTreeRepository.tree) without its parent join. */
const WHOLE_TREE = `SELECT n.id FROM notes n WHERE n.space_id = $1 AND n.deleted_at IS NULL
  ORDER BY lower(n.title), n.id LIMIT $2`;

describe('tree levels read in title order from an index (migration 1765800000000)', () => {
  it("reads the sidebar's top level from notes_space_roots_idx, not by sorting every top page", async () => {
    const { text, params } = tree.aroundStatement(DEFAULT_SPACE_ID, rootId, MAX_TREE_LEVEL_PAGES);
    expect(await planOf(text, params)).toContain('notes_space_roots_idx');

    const open = await tree.around(DEFAULT_SPACE_ID, rootId, MAX_TREE_LEVEL_PAGES);
    const top = open.filter((r) => r.parent_id === null);
    const under = open.filter((r) => r.parent_id === rootId);
    expect(top).toHaveLength(MAX_TREE_LEVEL_PAGES + 1);
    expect(top.slice(0, 3).map((r) => r.title)).toEqual(['Runbooks', 'Top 1', 'Top 10']);
    expect(under).toHaveLength(MAX_TREE_LEVEL_PAGES + 1);
  });

  it("reads the space home's whole tree from notes_space_title_idx", async () => {
    const plan = await planOf(WHOLE_TREE, [DEFAULT_SPACE_ID, MAX_TREE_PAGES + 1]);
    expect(plan).toContain('notes_space_title_idx');
    expect(plan).not.toMatch(/\bSort\b/);
  });

  it('sorted every top page before the migration (down), and does not after it (up)', async () => {
    const { text, params } = tree.aroundStatement(DEFAULT_SPACE_ID, rootId, MAX_TREE_LEVEL_PAGES);
    await inTransaction(h.dataSource, async (runner) => {
      await new SpaceTitleIndexes1765800000000().down(runner);
      const before = (await rows<{ 'QUERY PLAN': string }>(runner, `EXPLAIN ${text}`, params))
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      expect(before).not.toContain('notes_space_roots_idx');
      expect(before).toMatch(/Sort Key: \(lower\(notes(_\d+)?\.title\)\)/);
      await new SpaceTitleIndexes1765800000000().up(runner);
    });
    expect(await planOf(text, params)).toContain('notes_space_roots_idx');
  });

  it("writes a page view's limits into its one statement, so its plan made once sees them", async () => {
    const context = new PageContextRepository(
      h.dataSource,
      h.repository,
      new LinksRepository(h.dataSource),
      new SpacesRepository(h.dataSource),
      tree,
      new GenericPlans(h.dataSource, 1),
    );
    for (const access of [PageAccess.of(AUTHOR), PageAccess.of({ ...AUTHOR, role: 'admin' })]) {
      const parts = context.pageAroundParts({ slug: 'step-7' }, access, {
        backlinks: 20,
        treeLevel: MAX_TREE_LEVEL_PAGES,
      });
      // The generic-plan pool plans it blind to parameters: a LIMIT sent as one made the plan
      // for a 139k-page space read the whole table for the sub-page check (120 ms a view).
      const { text } = statementTogether(parts);
      expect(text).not.toMatch(/LIMIT[\s(]+\$/);
      expect(text).toContain(`LIMIT ${MAX_TREE_LEVEL_PAGES + 1}`);
      expect(text).toContain('LIMIT 21');
      // And it answers: the page, and its parent's level cut at 101 with the page kept in it.
      const read = await context.pageAround({ slug: 'step-7' }, access, {
        backlinks: 20,
        treeLevel: MAX_TREE_LEVEL_PAGES,
      });
      expect(read.page?.slug).toBe('step-7');
      const level = read.tree!.filter((r) => r.parent_id === rootId);
      expect(level.slice(0, 3).map((r) => r.title)).toEqual(['Step 1', 'Step 10', 'Step 100']);
      expect(level.length).toBe(MAX_TREE_LEVEL_PAGES + 2);
      expect(level.some((r) => r.slug === 'step-7' && r.on_path)).toBe(true);
    }
  });
});
