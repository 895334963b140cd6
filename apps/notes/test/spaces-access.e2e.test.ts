// Spaces and access over HTTP: every read path of a private space's pages answers an outsider as
// if the page did not exist (404, or left out of lists), and answers a member and a global admin.
// One file: the read paths share one private space and its pages (built once in beforeAll).
import { type SpaceTree } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_SPACE_ID } from '../src/database/default-space.js';
import { ADA, GRACE, READER, aNote, startNotes, type NotesHarness } from './notes-harness.js';

const ADMIN: Identity = { userId: 'admin-1', name: 'Ada Admin', role: 'admin' };
/** GRACE is a global editor and no member of the HR space: the outsider. */
const OUTSIDER = GRACE;
/** READER is a reader member of the HR space; ADA created it (its admin). */
const INSIDERS: [string, Identity][] = [
  ['the space admin', ADA],
  ['a reader member', READER],
  ['a global admin', ADMIN],
];

let h: NotesHarness;
let hr: { id: string; slug: string };
let salary: { id: string; slug: string };
let trashed: { id: string };
let handbook: { id: string; slug: string };

const titlesOf = (body: unknown) =>
  (body as { items: { title: string }[] }).items.map((i) => i.title);

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
  hr = (
    await h
      .as(ADA)
      .post('/api/v1/spaces')
      .send({ name: 'HR', description: 'People matters', visibility: 'private' })
      .expect(201)
  ).body;
  await h
    .as(ADA)
    .put(`/api/v1/spaces/${hr.id}/members/${READER.userId}`)
    .send({ role: 'reader' })
    .expect(200);
  handbook = (
    await h
      .as(ADA)
      .post('/api/v1/notes')
      .send(aNote({ title: 'Handbook', tags: ['shared-tag'] }))
      .expect(201)
  ).body;
  const created = (
    await h
      .as(ADA)
      .post('/api/v1/notes')
      .send({
        ...aNote({
          title: 'Salary Bands',
          body: 'Quokkafinance zanzibarx numbers; see [[Handbook]].',
          tags: ['hr-secret', 'shared-tag'],
        }),
        spaceId: hr.id,
        importKey: 'import-hr-1',
      })
      .expect(201)
  ).body;
  // A rename: "salary-bands" stays as an old slug, and the page has two revisions.
  salary = (
    await h
      .as(ADA)
      .put(`/api/v1/notes/${created.id}`)
      .send({ version: 1, title: 'Salary Grid' })
      .expect(200)
  ).body;
  const old = (
    await h
      .as(ADA)
      .post('/api/v1/notes')
      .send({ ...aNote({ title: 'HR Old Policy' }), spaceId: hr.id })
      .expect(201)
  ).body;
  await h.as(ADA).delete(`/api/v1/notes/${old.id}`).expect(204);
  trashed = old;
});
afterAll(async () => {
  await h?.close();
});

/** A read path: what an outsider gets, and what someone who can read gets. */
interface ReadPath {
  name: string;
  url: () => string;
  hidden: (res: { status: number; body: unknown }) => void;
  shown: (res: { status: number; body: unknown }) => void;
}
const notFound = (res: { status: number; body: unknown }) => {
  // The same answer as for a page that never existed (it echoes only the key asked for).
  expect(res.status).toBe(404);
  expect((res.body as { error: { code: string } }).error.code).toBe('note_not_found');
  expect(JSON.stringify(res.body)).not.toMatch(/Quokkafinance|zanzibarx|Salary Grid|hr-secret/i);
};
const ok = (res: { status: number }) => expect(res.status).toBe(200);

const READ_PATHS: ReadPath[] = [
  { name: 'page by id', url: () => `/api/v1/notes/${salary.id}`, hidden: notFound, shown: ok },
  // The gateway resolves [[Salary Grid]] with this same request, so the link renders as missing.
  {
    name: 'page by slug ([[Title]] resolution)',
    url: () => '/api/v1/notes/salary-grid',
    hidden: notFound,
    shown: ok,
  },
  {
    name: 'page by old slug',
    url: () => '/api/v1/notes/salary-bands',
    hidden: notFound,
    shown: ok,
  },
  {
    name: 'revisions list',
    url: () => `/api/v1/notes/${salary.id}/revisions`,
    hidden: notFound,
    shown: ok,
  },
  {
    name: 'one revision',
    url: () => `/api/v1/notes/${salary.id}/revisions/1`,
    hidden: notFound,
    shown: ok,
  },
  {
    name: 'backlinks of the page',
    url: () => `/api/v1/notes/${salary.id}/backlinks`,
    hidden: notFound,
    shown: ok,
  },
  {
    name: 'backlinks of a team page it links to',
    url: () => `/api/v1/notes/${handbook.id}/backlinks`,
    hidden: (res) => expect(titlesOf(res.body)).toEqual([]),
    shown: (res) => expect(titlesOf(res.body)).toEqual(['Salary Grid']),
  },
  {
    name: 'search hits',
    url: () => '/api/v1/search?q=zanzibarx',
    hidden: (res) => expect(res.body).toEqual({ items: [] }),
    shown: (res) => expect(titlesOf(res.body)).toEqual(['Salary Grid']),
  },
  {
    name: 'fuzzy title hits',
    url: () => '/api/v1/search?q=Salary%20Gridd',
    hidden: (res) => expect(titlesOf(res.body)).not.toContain('Salary Grid'),
    shown: (res) => expect(titlesOf(res.body)).toContain('Salary Grid'),
  },
  {
    name: '"did you mean" suggestion',
    url: () => '/api/v1/search?q=quokkafinanse',
    hidden: (res) => expect(JSON.stringify(res.body)).not.toMatch(/quokka/i),
    shown: (res) => expect((res.body as { suggestion?: string }).suggestion).toBe('quokkafinance'),
  },
  {
    name: 'tag list and counts',
    url: () => '/api/v1/tags',
    hidden: (res) => {
      const tags = new Map(
        (res.body as { items: { tag: string; count: number }[] }).items.map((t) => [
          t.tag,
          t.count,
        ]),
      );
      expect(tags.has('hr-secret')).toBe(false);
      expect(tags.get('shared-tag')).toBe(1);
    },
    shown: (res) => {
      const tags = new Map(
        (res.body as { items: { tag: string; count: number }[] }).items.map((t) => [
          t.tag,
          t.count,
        ]),
      );
      expect(tags.get('hr-secret')).toBe(1);
      expect(tags.get('shared-tag')).toBe(2);
    },
  },
  {
    name: 'recent list',
    url: () => '/api/v1/notes',
    hidden: (res) => expect(titlesOf(res.body)).not.toContain('Salary Grid'),
    shown: (res) => expect(titlesOf(res.body)).toContain('Salary Grid'),
  },
  {
    name: 'list by tag',
    url: () => '/api/v1/notes?tag=hr-secret',
    hidden: (res) => expect(titlesOf(res.body)).toEqual([]),
    shown: (res) => expect(titlesOf(res.body)).toEqual(['Salary Grid']),
  },
  {
    name: 'one trashed page',
    url: () => `/api/v1/trash/${trashed.id}`,
    hidden: notFound,
    shown: ok,
  },
  {
    name: 'trash list',
    url: () => '/api/v1/trash',
    hidden: (res) => expect(titlesOf(res.body)).not.toContain('HR Old Policy'),
    shown: (res) => expect(titlesOf(res.body)).toContain('HR Old Policy'),
  },
  {
    name: 'the space',
    url: () => `/api/v1/spaces/${hr.slug}`,
    hidden: (r) => expect(r.status).toBe(404),
    shown: ok,
  },
  {
    name: 'its page tree',
    url: () => `/api/v1/spaces/${hr.id}/tree`,
    hidden: (r) => expect(r.status).toBe(404),
    shown: ok,
  },
  {
    name: 'its members',
    url: () => `/api/v1/spaces/${hr.id}/members`,
    hidden: (r) => expect(r.status).toBe(404),
    shown: ok,
  },
  {
    name: 'the space list',
    url: () => '/api/v1/spaces',
    hidden: (res) =>
      expect((res.body as { items: { slug: string }[] }).items.map((s) => s.slug)).toEqual([
        'team',
      ]),
    shown: (res) =>
      expect((res.body as { items: { slug: string }[] }).items.map((s) => s.slug)).toEqual([
        'hr',
        'team',
      ]),
  },
];

describe('a private space, read path by read path', () => {
  for (const path of READ_PATHS) {
    it(`${path.name}: an outsider gets nothing, members and admins get it`, async () => {
      path.hidden(await h.as(OUTSIDER).get(path.url()));
      for (const [, who] of INSIDERS) path.shown(await h.as(who).get(path.url()));
    });
  }

  it('import key: an outsider never finds the page, its importer does', async () => {
    const again = { ...aNote({ title: 'Another import' }), importKey: 'import-hr-1' };
    const outsider = await h.as(OUTSIDER).post('/api/v1/notes').send(again).expect(409);
    expect(outsider.body.error.code).toBe('import_key_taken');
    expect(JSON.stringify(outsider.body)).not.toMatch(/Salary|zanzibarx/);
    const mine = await h.as(ADA).post('/api/v1/notes').send(again).expect(200);
    expect(mine.body.id).toBe(salary.id);
  });

  it('writes: an outsider gets 404, a reader member 403; an editor member may write until removed', async () => {
    await h
      .as(OUTSIDER)
      .put(`/api/v1/notes/${salary.id}`)
      .send({ version: 2, body: 'x' })
      .expect(404);
    await h.as(OUTSIDER).delete(`/api/v1/notes/${salary.id}`).expect(404);
    await h.as(OUTSIDER).post(`/api/v1/notes/${trashed.id}/restore`).expect(404);
    await h
      .as(OUTSIDER)
      .post('/api/v1/notes')
      .send({ ...aNote({ title: 'Sneak' }), spaceId: hr.id })
      .expect(404);
    await h
      .as(READER)
      .put(`/api/v1/notes/${salary.id}`)
      .send({ version: 2, body: 'x' })
      .expect(403);
    await h
      .as(OUTSIDER)
      .put(`/api/v1/spaces/${hr.id}/members/${OUTSIDER.userId}`)
      .send({ role: 'admin' })
      .expect(404);
    await h
      .as(READER)
      .put(`/api/v1/spaces/${hr.id}/members/${READER.userId}`)
      .send({ role: 'admin' })
      .expect(403);

    await h
      .as(ADA)
      .put(`/api/v1/spaces/${hr.id}/members/${GRACE.userId}`)
      .send({ role: 'editor' })
      .expect(200);
    const space = (await h.as(GRACE).get(`/api/v1/spaces/${hr.id}`).expect(200)).body;
    expect(space).toMatchObject({ myRole: 'editor', canWrite: true, canAdmin: false });
    await h
      .as(GRACE)
      .put(`/api/v1/notes/${salary.id}`)
      .send({ version: 2, body: 'Edited by Grace.' })
      .expect(200);
    // A draft kept while she could write: once removed, it is not hers to read back (it holds
    // the page's text), as if the page did not exist; nor can she keep drafting.
    await h
      .as(GRACE)
      .put(`/api/v1/notes/${salary.id}/draft`)
      .send({ title: 'Salary Grid', body: 'Draft by Grace: zanzibarx bands.', tags: [] })
      .expect(200);
    await h.as(GRACE).get(`/api/v1/notes/${salary.id}/draft`).expect(200);
    await h.as(ADA).delete(`/api/v1/spaces/${hr.id}/members/${GRACE.userId}`).expect(204);
    await h.as(GRACE).get(`/api/v1/notes/${salary.id}`).expect(404);
    notFound(await h.as(GRACE).get(`/api/v1/notes/${salary.id}/draft`));
    notFound(
      await h
        .as(GRACE)
        .put(`/api/v1/notes/${salary.id}/draft`)
        .send({ title: 'Salary Grid', body: 'Still drafting.', tags: [] }),
    );
  });

  it('a new page: written where the caller may change pages, else 404 or 403 and nothing made', async () => {
    // Each answer must be what the space's canWrite says (PageAccess), for each standing.
    const newPage = (who: Identity, title: string, spaceId: string) =>
      h
        .as(who)
        .post('/api/v1/notes')
        .send({ ...aNote({ title }), spaceId });
    const lab = (
      await h
        .as(ADA)
        .post('/api/v1/spaces')
        .send({ name: 'Lab', visibility: 'private' })
        .expect(201)
    ).body as { id: string };
    const commons = (
      await h
        .as(ADA)
        .post('/api/v1/spaces')
        .send({ name: 'Commons', visibility: 'team' })
        .expect(201)
    ).body as { id: string };
    const EDITOR: Identity = { userId: 'editor-standing', name: 'Eve Editor', role: 'editor' };

    // Not a member of the private space: as if it did not exist; a reader member: 403.
    const spaceNotFound = (res: { status: number; body: unknown }) => {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: { code: 'space_not_found' } });
    };
    spaceNotFound(await newPage(EDITOR, 'Lab Sneak', lab.id));
    await h
      .as(ADA)
      .put(`/api/v1/spaces/${lab.id}/members/${EDITOR.userId}`)
      .send({ role: 'reader' })
      .expect(200);
    const refused = await newPage(EDITOR, 'Lab Reader', lab.id);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });
    // A missing space: 404.
    spaceNotFound(await newPage(EDITOR, 'Nowhere', '00000000-0000-4000-8000-000000000000'));
    // An editor member, the space's admin, a global admin: written.
    await h
      .as(ADA)
      .put(`/api/v1/spaces/${lab.id}/members/${EDITOR.userId}`)
      .send({ role: 'editor' })
      .expect(200);
    await newPage(EDITOR, 'Lab Editor', lab.id).expect(201);
    await newPage(ADA, 'Lab Admin', lab.id).expect(201);
    await newPage(ADMIN, 'Lab Global Admin', lab.id).expect(201);
    // A team space: any global editor, even one who is only a reader member of it.
    await h
      .as(ADA)
      .put(`/api/v1/spaces/${commons.id}/members/${EDITOR.userId}`)
      .send({ role: 'reader' })
      .expect(200);
    await newPage(EDITOR, 'Commons Editor', commons.id).expect(201);
    await newPage(GRACE, 'Commons Grace', commons.id).expect(201);

    const titles = async (spaceId: string) =>
      titlesOf(
        (await h.as(ADMIN).get(`/api/v1/notes?spaceId=${spaceId}&limit=50`).expect(200)).body,
      );
    expect((await titles(lab.id)).sort()).toEqual(['Lab Admin', 'Lab Editor', 'Lab Global Admin']);
    expect((await titles(commons.id)).sort()).toEqual(['Commons Editor', 'Commons Grace']);
  });

  it('a reader member may read but the space says it cannot write', async () => {
    const space = (await h.as(READER).get(`/api/v1/spaces/hr`).expect(200)).body;
    expect(space).toMatchObject({
      visibility: 'private',
      myRole: 'reader',
      canWrite: false,
      canAdmin: false,
    });
  });
});

describe('spaces', () => {
  it('existing and new pages without a space are in the default team space', async () => {
    const page = (await h.as(ADA).get(`/api/v1/notes/${handbook.id}`).expect(200)).body;
    expect(page).toMatchObject({ spaceId: DEFAULT_SPACE_ID, parentId: null });
    const team = (await h.as(READER).get('/api/v1/spaces/team').expect(200)).body;
    expect(team).toMatchObject({
      id: DEFAULT_SPACE_ID,
      visibility: 'team',
      myRole: null,
      canWrite: false,
    });
    expect((await h.as(GRACE).get('/api/v1/spaces/team').expect(200)).body.canWrite).toBe(true);
  });

  it('readers cannot create spaces; a taken slug is 409; the admin of a space renames it', async () => {
    await h.as(READER).post('/api/v1/spaces').send({ name: 'Mine' }).expect(403);
    const dup = await h.as(GRACE).post('/api/v1/spaces').send({ name: 'HR' }).expect(409);
    expect(dup.body.error.code).toBe('space_slug_taken');
    const renamed = await h
      .as(ADA)
      .put(`/api/v1/spaces/${hr.id}`)
      .send({ name: 'People' })
      .expect(200);
    expect(renamed.body).toMatchObject({ slug: 'hr', name: 'People' });
    await h.as(ADA).put(`/api/v1/spaces/${hr.id}`).send({ name: 'HR' }).expect(200);
  });
});

describe('nesting and moves', () => {
  async function page(title: string, extra: Record<string, unknown> = {}) {
    return (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send({ ...aNote({ title }), ...extra })
        .expect(201)
    ).body as {
      id: string;
      slug: string;
    };
  }

  it('moves a page with its children into a private space; URLs stay, outsiders lose them', async () => {
    const a = await page('Move Root');
    const b = await page('Move Child', { parentId: a.id });
    const c = await page('Move Grandchild', { parentId: b.id });
    const tree = (await h.as(GRACE).get('/api/v1/spaces/team/tree').expect(200)).body;
    expect(tree.items).toEqual(
      expect.arrayContaining([
        { id: b.id, slug: 'move-child', title: 'Move Child', parentId: a.id },
        { id: c.id, slug: 'move-grandchild', title: 'Move Grandchild', parentId: b.id },
      ]),
    );

    const moved = await h
      .as(ADA)
      .post(`/api/v1/notes/${a.id}/move`)
      .send({ spaceId: hr.id })
      .expect(200);
    expect(moved.body).toMatchObject({
      id: a.id,
      slug: 'move-root',
      spaceId: hr.id,
      parentId: null,
    });
    for (const p of [a, b, c]) {
      expect((await h.as(READER).get(`/api/v1/notes/${p.slug}`).expect(200)).body.spaceId).toBe(
        hr.id,
      );
      await h.as(OUTSIDER).get(`/api/v1/notes/${p.slug}`).expect(404);
    }
    const hrTree = (await h.as(ADA).get(`/api/v1/spaces/${hr.id}/tree`).expect(200))
      .body as SpaceTree;
    expect(hrTree.items.map((n) => n.title)).toEqual([
      'Move Child',
      'Move Grandchild',
      'Move Root',
      'Salary Grid',
    ]);
    expect(hrTree.truncated).toBe(false);
  });

  it('refuses a parent inside the page own subtree, itself, or in another space', async () => {
    const a = await page('Cycle Root');
    const b = await page('Cycle Child', { parentId: a.id });
    const c = await page('Cycle Grandchild', { parentId: b.id });
    for (const parentId of [c.id, b.id, a.id]) {
      const res = await h.as(ADA).post(`/api/v1/notes/${a.id}/move`).send({ parentId }).expect(422);
      expect(res.body.error.code).toBe('invalid_parent');
    }
    await h
      .as(ADA)
      .post(`/api/v1/notes/${b.id}/move`)
      .send({ parentId: salary.id, spaceId: DEFAULT_SPACE_ID })
      .expect(422);
    await h
      .as(ADA)
      .post('/api/v1/notes')
      .send({ ...aNote({ title: 'Cross' }), spaceId: hr.id, parentId: a.id })
      .expect(422);
    // An outsider cannot hang a page under a private one: the parent does not exist for them.
    await h
      .as(OUTSIDER)
      .post(`/api/v1/notes/${c.id}/move`)
      .send({ parentId: salary.id })
      .expect(422);
    // Moving c to the top and back under a works (no cycle), and a save may move too.
    await h.as(ADA).post(`/api/v1/notes/${c.id}/move`).send({ parentId: null }).expect(200);
    const saved = await h
      .as(ADA)
      .put(`/api/v1/notes/${c.id}`)
      .send({ version: 1, parentId: a.id, body: 'moved' })
      .expect(200);
    expect(saved.body).toMatchObject({ parentId: a.id, body: 'moved', version: 2 });
  });
});
