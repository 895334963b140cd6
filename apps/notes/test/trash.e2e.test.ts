// The trash beyond moving pages in and out (notes-api.e2e.test.ts): finding a trashed page by its
// old URL, deleting one for good and emptying the trash, checked against the rows.
import { type Identity } from '@lateral/identity';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADA, GRACE, READER, aNote, startNotes, type NotesHarness } from './notes-harness.js';

const ADMIN: Identity = {
  userId: '7d1c2a8e-0000-4000-8000-0000000admin',
  name: 'Alan Admin',
  role: 'admin',
};

let h: NotesHarness;

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
});
afterAll(async () => {
  await h?.close();
});

async function createPage(title: string, body = 'Text.', tags = ['ops']) {
  const res = await h.as(ADA).post('/api/v1/notes').send(aNote({ title, body, tags }));
  expect(res.status).toBe(201);
  return res.body as { id: string; slug: string; version: number };
}

async function trashPage(id: string, who: Identity = ADA) {
  await h.as(who).delete(`/api/v1/notes/${id}`).expect(204);
}

/** Rows that belong to page `id` in every table that refers to it. */
async function rowsOf(id: string) {
  const count = async (sql: string) =>
    (await h.sql.query<{ n: number }>(sql, [id])).rows[0]?.n ?? -1;
  return {
    notes: await count('SELECT count(*)::int AS n FROM notes WHERE id = $1'),
    revisions: await count('SELECT count(*)::int AS n FROM note_revisions WHERE note_id = $1'),
    links: await count('SELECT count(*)::int AS n FROM note_links WHERE source_id = $1'),
    aliases: await count('SELECT count(*)::int AS n FROM note_slug_aliases WHERE note_id = $1'),
  };
}

describe('a trashed page', () => {
  it('is found by its slug or id with when and by whom it was trashed', async () => {
    const page = await createPage('Old Runbook');
    // Grace edits it, then trashes it: her name is known from her revision.
    await h
      .as(GRACE)
      .put(`/api/v1/notes/${page.id}`)
      .send({ version: 1, body: 'Edited by Grace.' })
      .expect(200);
    await trashPage(page.id, GRACE);

    const bySlug = await h.as(READER).get('/api/v1/trash/old-runbook');
    expect(bySlug.status).toBe(200);
    expect(bySlug.body).toMatchObject({
      id: page.id,
      slug: 'old-runbook',
      title: 'Old Runbook',
      deletedAt: expect.any(String),
      deletedBy: { id: GRACE.userId, name: 'Grace' },
    });
    const byId = await h.as().get(`/api/v1/trash/${page.id}`);
    expect(byId.body).toEqual(bySlug.body);
  });

  it('names nobody when the person who trashed it never edited it', async () => {
    const page = await createPage('Never Edited By Grace');
    await trashPage(page.id, GRACE);
    const res = await h.as().get('/api/v1/trash/never-edited-by-grace');
    expect(res.body.deletedBy).toEqual({ id: GRACE.userId, name: null });
  });

  it('is 404 note_not_found for a live page or an unknown slug', async () => {
    await createPage('Still Alive');
    const live = await h.as().get('/api/v1/trash/still-alive');
    expect(live.status).toBe(404);
    expect(live.body.error.code).toBe('note_not_found');
    await h.as().get('/api/v1/trash/no-such-page').expect(404);
  });
});

describe('delete forever', () => {
  it('deletes a trashed page with its revisions, links and old slugs', async () => {
    const page = await createPage('Doomed Page', 'See [[Some Target]] and [[Other Page]].');
    // A rename leaves an alias; a second version leaves a second revision.
    await h
      .as()
      .put(`/api/v1/notes/${page.id}`)
      .send({ version: 1, title: 'Doomed Page Renamed' })
      .expect(200);
    expect(await rowsOf(page.id)).toEqual({ notes: 1, revisions: 2, links: 2, aliases: 1 });
    await trashPage(page.id);

    await h.as(ADMIN).delete(`/api/v1/notes/${page.id}?permanent=true`).expect(204);

    expect(await rowsOf(page.id)).toEqual({ notes: 0, revisions: 0, links: 0, aliases: 0 });
    await h.as().get(`/api/v1/trash/${page.id}`).expect(404);
    await h.as().get(`/api/v1/notes/${page.id}`).expect(404);
    const again = await h.as(ADMIN).delete(`/api/v1/notes/${page.id}?permanent=true`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('note_not_found');
  });

  it('refuses a live page with 409 note_not_deleted and keeps it', async () => {
    const page = await createPage('Live And Kicking');
    for (const key of [page.id, page.slug]) {
      const res = await h.as(ADMIN).delete(`/api/v1/notes/${key}?permanent=true`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('note_not_deleted');
    }
    expect((await rowsOf(page.id)).notes).toBe(1);
    await h.as().get(`/api/v1/notes/${page.id}`).expect(200);
  });

  it('is for admins only: an editor gets 403, a reader 403, and the page stays', async () => {
    const page = await createPage('Editors Cannot Purge');
    await trashPage(page.id);
    const editor = await h.as(ADA).delete(`/api/v1/notes/${page.id}?permanent=true`);
    expect(editor.status).toBe(403);
    expect(editor.body.error.code).toBe('forbidden');
    await h.as(READER).delete(`/api/v1/notes/${page.id}?permanent=true`).expect(403);
    expect((await rowsOf(page.id)).notes).toBe(1);
  });

  it('rejects a permanent flag other than true or false with 400', async () => {
    const page = await createPage('Odd Flag');
    const res = await h.as(ADMIN).delete(`/api/v1/notes/${page.id}?permanent=yes`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    await h.as().get(`/api/v1/notes/${page.id}`).expect(200);
  });
});

describe('empty the trash', () => {
  it('deletes every trashed page and its rows, keeps live pages and tag counts', async () => {
    const live = await createPage('Kept Alive', 'Links to [[Gone One]].', ['keep']);
    const gone = [
      await createPage('Gone One', 'One.', ['purge']),
      await createPage('Gone Two', 'Links to [[Kept Alive]].', ['purge']),
    ];
    for (const page of gone) await trashPage(page.id);
    const tagsBefore = (await h.as().get('/api/v1/tags')).body;

    // Not for editors.
    const editor = await h.as(ADA).delete('/api/v1/trash');
    expect(editor.status).toBe(403);
    expect(editor.body.error.code).toBe('forbidden');

    const res = await h.as(ADMIN).delete('/api/v1/trash');
    expect(res.status).toBe(200);
    expect(res.body.deleted).toBeGreaterThanOrEqual(2);

    for (const page of gone) {
      expect(await rowsOf(page.id)).toEqual({ notes: 0, revisions: 0, links: 0, aliases: 0 });
    }
    const { rows } = await h.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM notes WHERE deleted_at IS NOT NULL',
    );
    expect(rows[0]?.n).toBe(0);
    expect((await h.as().get('/api/v1/trash')).body.items).toEqual([]);
    expect(await rowsOf(live.id)).toMatchObject({ notes: 1, revisions: 1, links: 1 });
    // Trashed pages were never counted, so the counts are unchanged.
    expect((await h.as().get('/api/v1/tags')).body).toEqual(tagsBefore);

    const empty = await h.as(ADMIN).delete('/api/v1/trash');
    expect(empty.body).toEqual({ deleted: 0 });
  });
});
