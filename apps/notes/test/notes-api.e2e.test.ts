// Pages over HTTP: create, save, rename, restore, trash. Lists, links, search and metrics:
// notes-lists.e2e.test.ts; the identity check: notes-identity.e2e.test.ts.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADA, GRACE, aNote, startNotes, type NotesHarness } from './notes-harness.js';

let h: NotesHarness;

/** The ids of a list answer's items, in order. */
const ids = (res: { body: unknown }) =>
  (res.body as { items: { id: string }[] }).items.map((n) => n.id);

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
});
afterAll(async () => {
  await h?.close();
});

describe('pages', () => {
  it('creates a page with a slug, version 1, author and revision 1', async () => {
    const res = await h
      .as(ADA)
      .post('/api/v1/notes')
      .send(aNote({ title: 'Café Menu', tags: ['food', 'food', 'office'] }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: 'cafe-menu',
      title: 'Café Menu',
      tags: ['food', 'office'],
      version: 1,
      createdBy: { id: ADA.userId, name: 'Ada' },
      updatedBy: { id: ADA.userId, name: 'Ada' },
      deletedAt: null,
    });
    const { rows } = await h.sql.query(
      'SELECT number, title, author_name FROM note_revisions WHERE note_id = $1',
      [res.body.id],
    );
    expect(rows).toEqual([{ number: 1, title: 'Café Menu', author_name: 'Ada' }]);

    const bySlug = await h.as().get('/api/v1/notes/cafe-menu');
    const byId = await h.as().get(`/api/v1/notes/${res.body.id}`);
    expect(bySlug.body).toEqual(res.body);
    expect(byId.body).toEqual(res.body);
  });

  it('refuses a second page with the same title with 409 slug_taken', async () => {
    await h
      .as()
      .post('/api/v1/notes')
      .send(aNote({ title: 'Unique Title' }))
      .expect(201);
    const res = await h
      .as()
      .post('/api/v1/notes')
      .send(aNote({ title: 'unique title!' }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('slug_taken');
    const { rows } = await h.sql.query(
      "SELECT count(*)::int AS n FROM notes WHERE slug = 'unique-title'",
    );
    expect(rows[0].n).toBe(1);
  });

  it('answers an import key seen before with 200 and the existing page, and honours createdAt', async () => {
    const input = {
      ...aNote({ title: 'Imported Page' }),
      importKey: 'notion:abc',
      createdAt: '2020-05-01T08:00:00Z',
    };
    const first = await h.as().post('/api/v1/notes').send(input);
    expect(first.status).toBe(201);
    expect(first.body.createdAt).toBe('2020-05-01T08:00:00.000Z');
    const again = await h
      .as()
      .post('/api/v1/notes')
      .send({ ...input, body: 'changed' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.body).toBe(first.body.body);
  });

  it('saves a new version with updatedBy and a revision by that author', async () => {
    const created = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send(aNote({ title: 'Runbook' }))
    ).body;
    const res = await h
      .as(GRACE)
      .put(`/api/v1/notes/${created.id}`)
      .send({ version: 1, body: 'Page the on-call.', tags: ['ops', 'oncall'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: 2,
      body: 'Page the on-call.',
      tags: ['ops', 'oncall'],
      title: 'Runbook',
      slug: 'runbook',
      updatedBy: { name: 'Grace' },
      createdBy: { name: 'Ada' },
    });
    const revisions = await h.as().get(`/api/v1/notes/${created.id}/revisions`);
    expect(
      (revisions.body.items as { number: number; author: { name: string } }[]).map((r) => [
        r.number,
        r.author.name,
      ]),
    ).toEqual([
      [2, 'Grace'],
      [1, 'Ada'],
    ]);
    expect(revisions.body.items[0]).not.toHaveProperty('body');
    const first = await h.as().get(`/api/v1/notes/runbook/revisions/1`);
    expect(first.body).toMatchObject({ number: 1, body: created.body, author: { name: 'Ada' } });
  });

  it('answers a stale version with 409 and the current page, and writes nothing', async () => {
    const created = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Stale' }))
    ).body;
    await h.as().put(`/api/v1/notes/${created.id}`).send({ version: 1, body: 'first' }).expect(200);
    const res = await h
      .as(GRACE)
      .put(`/api/v1/notes/${created.id}`)
      .send({ version: 1, body: 'second' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('version_conflict');
    expect(res.body.error.details.current).toMatchObject({
      id: created.id,
      version: 2,
      body: 'first',
    });
    const { rows } = await h.sql.query('SELECT version, body FROM notes WHERE id = $1', [
      created.id,
    ]);
    expect(rows[0]).toEqual({ version: 2, body: 'first' });
    // A version the page never had (an editor that lost it) is stale too, not a bad request.
    const never = await h.as().put(`/api/v1/notes/${created.id}`).send({ version: 0, body: 'x' });
    expect(never.status).toBe(409);
  });

  it('renames: the slug follows the title, and old links keep working', async () => {
    const created = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Old Name' }))
    ).body;
    const linker = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Points At Old', body: 'see [[Old Name]]' }))
    ).body;
    const res = await h
      .as()
      .put(`/api/v1/notes/${created.id}`)
      .send({ version: 1, title: 'New Name' });
    expect(res.body.slug).toBe('new-name');
    await h.as().get('/api/v1/notes/new-name').expect(200);
    // The old slug still reaches the page (answered with its current slug).
    const old = await h.as().get('/api/v1/notes/old-name');
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({ id: created.id, slug: 'new-name' });
    expect(ids(await h.as().get('/api/v1/notes/new-name/backlinks'))).toEqual([linker.id]);

    // A new page with the old title takes the slug back, and the links that name it.
    const newcomer = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Old Name' }))
    ).body;
    expect((await h.as().get('/api/v1/notes/old-name')).body.id).toBe(newcomer.id);
    expect(ids(await h.as().get('/api/v1/notes/new-name/backlinks'))).toEqual([]);
    expect(ids(await h.as().get('/api/v1/notes/old-name/backlinks'))).toEqual([linker.id]);
  });

  it('restores a revision as a new version', async () => {
    const created = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Restorable', body: 'v1 text' }))
    ).body;
    await h
      .as()
      .put(`/api/v1/notes/${created.id}`)
      .send({ version: 1, body: 'v2 text' })
      .expect(200);
    const res = await h.as(GRACE).post(`/api/v1/notes/${created.id}/revisions/1/restore`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 3, body: 'v1 text', updatedBy: { name: 'Grace' } });
    const third = await h.as().get(`/api/v1/notes/${created.id}/revisions/3`);
    expect(third.body).toMatchObject({ body: 'v1 text', author: { name: 'Grace' } });
    await h.as().post(`/api/v1/notes/${created.id}/revisions/9/restore`).expect(404);
  });

  it('restoring a revision with another title renames the page, and its old slug still leads there', async () => {
    const created = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Restore Renames', body: 'first [[restorable]]' }))
    ).body;
    await h
      .as()
      .put(`/api/v1/notes/${created.id}`)
      .send({ version: 1, title: 'Restore Renamed Later', body: 'second' })
      .expect(200);
    const restored = await h.as().post(`/api/v1/notes/${created.id}/revisions/1/restore`);
    expect(restored.body).toMatchObject({ slug: 'restore-renames', version: 3 });
    // The slug of version 2 now leads to the page, as after any rename.
    const byOld = await h.as().get('/api/v1/notes/restore-renamed-later').expect(200);
    expect(byOld.body).toMatchObject({ id: created.id, slug: 'restore-renames' });
    // The restored body's links are the page's links again.
    const backlinks = await h.as().get('/api/v1/notes/restorable/backlinks').expect(200);
    expect(ids(backlinks)).toContain(created.id);
  });

  it('moves a page to the trash and back', async () => {
    const created = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Trash Me' }))
    ).body;
    await h.as().delete(`/api/v1/notes/${created.id}`).expect(204);
    await h.as().get('/api/v1/notes/trash-me').expect(404);
    const trash = await h.as().get('/api/v1/trash');
    expect(ids(trash)).toContain(created.id);
    const trashed = (trash.body.items as { id: string; deletedAt: string | null }[]).find(
      (n) => n.id === created.id,
    );
    expect(trashed?.deletedAt).toEqual(expect.any(String));
    const listed = await h.as().get('/api/v1/notes?limit=100');
    expect(ids(listed)).not.toContain(created.id);

    const restored = await h.as().post(`/api/v1/notes/${created.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: created.id, deletedAt: null, version: 1 });
    await h.as().get('/api/v1/notes/trash-me').expect(200);
    const again = await h.as().post(`/api/v1/notes/${created.id}/restore`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('note_not_deleted');
  });

  it('will not restore a trashed page over a live page that took its title', async () => {
    const old = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Reused Title' }))
    ).body;
    await h.as().delete(`/api/v1/notes/${old.id}`).expect(204);
    await h
      .as()
      .post('/api/v1/notes')
      .send(aNote({ title: 'Reused Title' }))
      .expect(201);
    const res = await h.as().post(`/api/v1/notes/${old.id}/restore`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('slug_taken');
  });
});
