import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseLinks } from '../src/links/link-parser.js';
import { type NoteRow } from '../src/notes/note.rows.js';
import { DEFAULT_SPACE_ID } from '../src/database/default-space.js';
import { PageAccess } from '../src/spaces/page-access.js';
import { AUTHOR, openNotesDb, type NotesDb } from './notes-db.js';

let t: NotesDb;
const PERSON = { id: AUTHOR.userId, name: AUTHOR.name };

beforeAll(async () => {
  t = await openNotesDb(inject('postgresAdminUrl'));
});
afterAll(async () => {
  await t?.close();
});

async function insert(title: string, body = '', tags: string[] = []): Promise<NoteRow> {
  const now = t.clock.now();
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const row = await t.repository.create({
    id: randomUUID(),
    content: { title, slug, body, tags },
    links: parseLinks(body),
    author: PERSON,
    createdAt: now,
    now,
    importKey: undefined,
    spaceId: DEFAULT_SPACE_ID,
    parentId: null,
  });
  if ('kind' in row) throw new Error(row.kind);
  return row;
}

describe('NotesRepository', () => {
  it('keeps slugs unique among live pages only', async () => {
    const first = await insert('Same Slug');
    expect(await insert('Same Slug').catch((e: Error) => e.message)).toBe('slug_taken');
    await t.trash.trash(first.id, PERSON, t.clock.now());
    const second = await insert('Same Slug');
    expect(second.id).not.toBe(first.id);
    expect(await t.trash.untrash(first.id)).toEqual({ kind: 'slug_taken' });
  });

  it('updates only at the expected version and tells stale from missing', async () => {
    const row = await insert('Versioned', 'one');
    const save = (expectedVersion: number, id = row.id) =>
      t.repository.update({
        id,
        previousSlug: 'versioned',
        expectedVersion,
        content: { title: 'Versioned', slug: 'versioned', body: `at ${expectedVersion}`, tags: [] },
        links: { slugs: [], ids: [], mediaIds: [] },
        author: PERSON,
        now: t.clock.now(),
      });
    expect(await save(1)).toMatchObject({ version: 2, body: 'at 1' });
    expect(await save(1)).toMatchObject({ kind: 'stale', current: { version: 2, body: 'at 1' } });
    expect(await save(1, randomUUID())).toEqual({ kind: 'missing' });
  });

  it('pages through pages updated in the same millisecond without skipping or repeating', async () => {
    const tag = `same-ms-${randomUUID().slice(0, 8)}`;
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await insert(`Tie ${tag} ${i}`, '', [tag])).id);
    const seen: string[] = [];
    let after: { at: string; id: string } | undefined;
    for (;;) {
      const rows = await t.repository.list(PageAccess.of(AUTHOR), { tag, limit: 3, after });
      const page = rows.slice(0, 3);
      seen.push(...page.map((r) => r.id));
      if (rows.length <= 3) break;
      const last = page[page.length - 1]!;
      after = { at: last.updated_at.toISOString(), id: last.id };
    }
    expect(seen.sort()).toEqual([...made].sort());
    expect(new Set(seen).size).toBe(7);
  });

  it('replaces a page’s links on each save', async () => {
    const row = await insert('Linker', '[[Alpha]] and [[Beta]]');
    const links = async () =>
      (
        await t.dataSource.query<{ target_slug: string }[]>(
          'SELECT target_slug FROM note_links WHERE source_id = $1 ORDER BY 1',
          [row.id],
        )
      ).map((r) => r.target_slug);
    expect(await links()).toEqual(['alpha', 'beta']);
    await t.repository.update({
      id: row.id,
      previousSlug: 'linker',
      expectedVersion: 1,
      content: { title: 'Linker', slug: 'linker', body: '[[Gamma]]', tags: [] },
      links: parseLinks('[[Gamma]]'),
      author: PERSON,
      now: t.clock.now(),
    });
    expect(await links()).toEqual(['gamma']);
  });

  it('lists revisions newest first, without bodies, with a keyset on the number', async () => {
    const note = await t.notes.create({ title: 'Many Revisions', body: 'r1', tags: [] }, AUTHOR);
    for (let v = 1; v < 5; v++) {
      await t.notes.update(note.note.id, { version: v, body: `r${v + 1}` }, AUTHOR);
    }
    const first = await t.history.list(note.note.id, { limit: 3 }, AUTHOR);
    expect(first.items.map((r) => r.number)).toEqual([5, 4, 3]);
    const second = await t.history.list(
      note.note.id,
      { limit: 3, cursor: first.nextCursor! },
      AUTHOR,
    );
    expect(second.items.map((r) => r.number)).toEqual([2, 1]);
    expect(second.nextCursor).toBeNull();
  });
});

describe('tag counts', () => {
  const counts = async () =>
    new Map(
      (
        await t.dataSource.query<{ tag: string; count: number }[]>(
          `SELECT tag, count FROM tag_counts WHERE tag LIKE 'tc-%'`,
        )
      ).map((r) => [r.tag, r.count]),
    );

  it('follow creates, tag edits, trash and restore, and match a full recount', async () => {
    const a = await t.notes.create({ title: 'TC A', body: '', tags: ['tc-x', 'tc-y'] }, AUTHOR);
    const b = await t.notes.create({ title: 'TC B', body: '', tags: ['tc-y'] }, AUTHOR);
    expect(await counts()).toEqual(
      new Map([
        ['tc-x', 1],
        ['tc-y', 2],
      ]),
    );
    await t.notes.update(a.note.id, { version: 1, tags: ['tc-z', 'tc-y'] }, AUTHOR);
    expect(await counts()).toEqual(
      new Map([
        ['tc-y', 2],
        ['tc-z', 1],
      ]),
    );
    await t.notes.trash(b.note.id, AUTHOR);
    expect((await counts()).get('tc-y')).toBe(1);
    await t.notes.untrash(b.note.id, AUTHOR);
    expect((await counts()).get('tc-y')).toBe(2);
    const recount = await t.dataSource.query<{ tag: string; count: number }[]>(
      `SELECT t.tag, count(*)::int AS count FROM notes n, unnest(n.tags) AS t(tag)
       WHERE n.deleted_at IS NULL GROUP BY t.tag ORDER BY 1`,
    );
    const kept = await t.dataSource.query<{ tag: string; count: number }[]>(
      `SELECT tag, count FROM tag_counts WHERE count > 0 ORDER BY 1`,
    );
    expect(kept).toEqual(recount);
    // The per-space counts (what GET /tags reads since spaces) add up to the same.
    const perSpace = await t.dataSource.query<{ tag: string; count: number }[]>(
      `SELECT tag, sum(count)::int AS count FROM space_tag_counts WHERE count > 0
       GROUP BY tag ORDER BY 1`,
    );
    expect(perSpace).toEqual(recount);
  });
});
