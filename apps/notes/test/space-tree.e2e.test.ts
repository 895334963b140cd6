// What a page view shows around a page, over HTTP against a real PostgreSQL: the tree a sidebar
// shows open on it (`GET /api/v1/spaces/:key/tree?levels=open&page=<id>`, bounded per level
// whatever the space's size), and the page with it in one request (`?include=backlinks,place`),
// with where its links lead (`links`).
import { type NoteWithContext, type SpaceTree, type TreeNode } from '@lateral/contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MAX_TREE_LEVEL_PAGES } from '../src/spaces/spaces.service.js';
import { ADA, GRACE, aNote, startNotes, type NotesHarness } from './notes-harness.js';

let h: NotesHarness;
let space: { id: string; slug: string };
const ids: Record<string, string> = {};

async function page(title: string, parent?: string): Promise<string> {
  const body = {
    ...aNote({ title }),
    spaceId: space.id,
    ...(parent ? { parentId: ids[parent] } : {}),
  };
  const created = (await h.as(ADA).post('/api/v1/notes').send(body).expect(201)).body as {
    id: string;
  };
  ids[title] = created.id;
  return created.id;
}

async function openTree(query: string, as = ADA): Promise<SpaceTree> {
  return (await h.as(as).get(`/api/v1/spaces/${space.id}/tree?levels=open${query}`).expect(200))
    .body as SpaceTree;
}

const shape = (items: TreeNode[]) =>
  items.map(
    (n) => `${n.title} < ${n.parentId ? titleOf(n.parentId) : 'top'}${n.hasChildren ? ' +' : ''}`,
  );
const titleOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
  space = (
    await h.as(ADA).post('/api/v1/spaces').send({ name: 'Tree', visibility: 'private' }).expect(201)
  ).body;
  await page('Alpha');
  await page('Beta', 'Alpha');
  await page('Gamma', 'Beta');
  await page('Delta', 'Gamma');
  await page('Beta sibling', 'Alpha');
  await page('Zulu');
  await page('Zulu child', 'Zulu');
  // A trashed parent: its live child shows at the top, as in the whole tree.
  await page('Trashed parent');
  await page('Orphan', 'Trashed parent');
  await h.as(ADA).delete(`/api/v1/notes/${ids['Trashed parent']}`).expect(204);
  // A level longer than one answer holds.
  await page('Wide');
  for (let i = 0; i <= MAX_TREE_LEVEL_PAGES; i++) {
    await page(`Wide ${String(i).padStart(3, '0')}`, 'Wide');
  }
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('the tree open on a page', () => {
  it('without a page: the top of the space, each saying whether it has sub-pages', async () => {
    const tree = await openTree('');
    expect(shape(tree.items)).toEqual([
      'Alpha < top +',
      'Orphan < top',
      'Wide < top +',
      'Zulu < top +',
    ]);
    expect(tree.truncated).toBe(false);
  });

  it('on a deep page: the top and the sub-pages of every page on the way down, nothing else', async () => {
    const tree = await openTree(`&page=${ids.Gamma}`);
    expect(shape(tree.items)).toEqual([
      'Alpha < top +',
      'Beta < Alpha +',
      'Beta sibling < Alpha',
      'Delta < Gamma',
      'Gamma < Beta +',
      'Orphan < top',
      'Wide < top +',
      'Zulu < top +',
    ]);
    // Zulu's and Wide's sub-pages are not open: left out.
    expect(tree.items.map((n) => n.title)).not.toContain('Zulu child');
  });

  it('cuts a long level, keeping the page asked about, and says it was cut', async () => {
    const last = `Wide ${String(MAX_TREE_LEVEL_PAGES).padStart(3, '0')}`;
    const tree = await openTree(`&page=${ids[last]}`);
    const wide = tree.items.filter((n) => n.parentId === ids.Wide).map((n) => n.title);
    expect(wide).toHaveLength(MAX_TREE_LEVEL_PAGES + 1);
    expect(wide.at(-2)).toBe(`Wide ${String(MAX_TREE_LEVEL_PAGES - 1).padStart(3, '0')}`);
    expect(wide.at(-1)).toBe(last);
    expect(tree.truncated).toBe(true);
    // On Wide itself, the last one is simply cut.
    const onWide = await openTree(`&page=${ids.Wide}`);
    expect(onWide.items.filter((n) => n.parentId === ids.Wide)).toHaveLength(MAX_TREE_LEVEL_PAGES);
    expect(onWide.truncated).toBe(true);
  });

  it('ignores a page of another space or in the trash (the top only), and hides a private space', async () => {
    const elsewhere = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send(aNote({ title: 'Elsewhere' }))
        .expect(201)
    ).body as { id: string };
    for (const id of [elsewhere.id, ids['Trashed parent']]) {
      expect(shape((await openTree(`&page=${id}`)).items)).toEqual(
        shape((await openTree('')).items),
      );
    }
    await h.as(GRACE).get(`/api/v1/spaces/${space.id}/tree?levels=open`).expect(404);
    await h
      .as(GRACE)
      .get(`/api/v1/spaces/${space.id}/tree?levels=open&page=${ids.Gamma}`)
      .expect(404);
  });

  it('refuses a malformed query with 400', async () => {
    for (const query of [
      'levels=open&page=not-a-uuid',
      `page=${ids.Gamma}`,
      'levels=some',
      `levels=open&page=${ids.Gamma}%00`,
    ]) {
      const res = await h.as(ADA).get(`/api/v1/spaces/${space.id}/tree?${query}`);
      expect(res.status, query).toBe(400);
    }
  });

  it('leaves the whole tree as it was without levels=open', async () => {
    const whole = (await h.as(ADA).get(`/api/v1/spaces/${space.id}/tree`).expect(200))
      .body as SpaceTree;
    expect(whole.items.map((n) => n.title)).toContain('Zulu child');
    expect(whole.items.every((n) => n.hasChildren === undefined)).toBe(true);
  });
});

describe('a page with what its view shows around it (include=backlinks,place,links)', () => {
  it('answers the page, its backlinks and its place in one request, as the three calls would', async () => {
    const linking = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send({ ...aNote({ title: 'Links to gamma', body: 'See [[Gamma]].' }), spaceId: space.id })
        .expect(201)
    ).body as { id: string };
    const res = await h
      .as(ADA)
      .get(`/api/v1/notes/${ids.Gamma}?include=backlinks,place`)
      .expect(200);
    const plain = (await h.as(ADA).get(`/api/v1/notes/${ids.Gamma}`).expect(200)).body;
    const backlinks = (await h.as(ADA).get(`/api/v1/notes/${ids.Gamma}/backlinks`).expect(200))
      .body;
    const spaces = (await h.as(ADA).get('/api/v1/spaces').expect(200)).body;
    const tree = await openTree(`&page=${ids.Gamma}`);
    expect(res.body).toEqual({ ...plain, backlinks, place: { spaces: spaces.items, tree } });
    const body = res.body as NoteWithContext;
    expect(body.backlinks?.items.map((n) => n.id)).toEqual([linking.id]);

    const onlyBacklinks = await h.as(ADA).get(`/api/v1/notes/${ids.Gamma}?include=backlinks`);
    expect(onlyBacklinks.body.place).toBeUndefined();
    expect(onlyBacklinks.body.backlinks).toEqual(backlinks);
    expect((await h.as(ADA).get(`/api/v1/notes/${ids.Gamma}?include=`)).body).toEqual(plain);
  });

  it("leaves out what the caller cannot read: another's private space and its pages' links", async () => {
    const hers = (
      await h
        .as(GRACE)
        .post('/api/v1/spaces')
        .send({ name: 'Grace only', visibility: 'private' })
        .expect(201)
    ).body as { id: string };
    const secret = (
      await h
        .as(GRACE)
        .post('/api/v1/notes')
        .send({ ...aNote({ title: 'Secret link', body: 'About [[Gamma]].' }), spaceId: hers.id })
        .expect(201)
    ).body as { id: string };
    const body = (await h.as(ADA).get(`/api/v1/notes/${ids.Gamma}?include=backlinks,place`))
      .body as NoteWithContext;
    expect(body.backlinks?.items.map((n) => n.id)).not.toContain(secret.id);
    expect(body.place?.spaces.map((s) => s.id)).not.toContain(hers.id);
    expect(body.place?.spaces.map((s) => s.id)).toContain(space.id);
    // Dates come back as the API writes them everywhere (ISO, to the millisecond).
    expect(body.place?.spaces[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(body.backlinks?.items[0]?.updatedAt).toMatch(/\.\d{3}Z$/);
  });

  it('says where each link leads (include=links), as GET /notes/:slug would for the caller', async () => {
    const renamed = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send({ ...aNote({ title: 'Old name' }), spaceId: space.id })
        .expect(201)
    ).body as { id: string; version: number };
    await h
      .as(ADA)
      .put(`/api/v1/notes/${renamed.id}`)
      .send({ title: 'New name', version: renamed.version })
      .expect(200);
    const graces = (
      await h.as(GRACE).post('/api/v1/spaces').send({ name: 'Hers', visibility: 'private' })
    ).body as { id: string };
    await h
      .as(GRACE)
      .post('/api/v1/notes')
      .send({ ...aNote({ title: 'Grace hidden' }), spaceId: graces.id })
      .expect(201);
    const body =
      '[[Alpha]], [[Old name|the old one]], [[Grace hidden]], [[Nowhere yet]], ' +
      '[[Trashed parent]], `[[In code]]` and /notes/zulu';
    const hub = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send({ ...aNote({ title: 'Link hub', body }), spaceId: space.id })
        .expect(201)
    ).body as { id: string };

    const res = await h.as(ADA).get(`/api/v1/notes/${hub.id}?include=links`).expect(200);
    const links = new Map(
      (res.body as NoteWithContext).links!.map((link) => [link.target, link.slug]),
    );
    expect(Object.fromEntries(links)).toEqual({
      alpha: 'alpha',
      'old-name': 'new-name',
      'grace-hidden': null,
      'nowhere-yet': null,
      'trashed-parent': null,
      zulu: 'zulu',
    });
    for (const [target, slug] of links) {
      const one = await h.as(ADA).get(`/api/v1/notes/${target}`);
      expect(one.status === 200 ? one.body.slug : null, target).toBe(slug);
    }
    // Grace reads her own page but not Ada's hub.
    await h.as(GRACE).get(`/api/v1/notes/${hub.id}?include=links`).expect(404);
  });

  it('is 404 for an outsider and 400 for an unknown include', async () => {
    await h.as(GRACE).get(`/api/v1/notes/${ids.Gamma}?include=backlinks,place`).expect(404);
    for (const include of ['body', 'place,secrets', 'x'.repeat(101)]) {
      const res = await h.as(ADA).get(`/api/v1/notes/${ids.Gamma}?include=${include}`);
      expect(res.status, include).toBe(400);
    }
  });
});
