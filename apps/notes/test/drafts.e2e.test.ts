import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADA, GRACE, READER, aNote, startNotes, type NotesHarness } from './notes-harness.js';

let h: NotesHarness;

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
});
afterAll(async () => {
  await h?.close();
});

const draft = (body: string, baseVersion: number | null = 1) => ({
  title: 'Drafted',
  body,
  tags: ['ops'],
  baseVersion,
});

describe('drafts: a person’s unsaved text, per page and for a new page', () => {
  it('put, get, replace and delete my draft of a page; nobody else sees it', async () => {
    const page = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send(aNote({ title: 'Drafted' }))
    ).body;
    await h.as(ADA).get(`/api/v1/notes/${page.id}/draft`).expect(404);

    const put = await h.as(ADA).put(`/api/v1/notes/${page.id}/draft`).send(draft('first'));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ noteId: page.id, body: 'first', baseVersion: 1 });
    await h.as(ADA).put(`/api/v1/notes/drafted/draft`).send(draft('second')).expect(200);
    const got = await h.as(ADA).get(`/api/v1/notes/${page.id}/draft`);
    expect(got.body).toMatchObject({ title: 'Drafted', body: 'second', tags: ['ops'] });
    const rows = await h.sql.query('SELECT owner_id, body FROM note_drafts WHERE note_id = $1', [
      page.id,
    ]);
    expect(rows.rows).toEqual([{ owner_id: ADA.userId, body: 'second' }]);

    // Owner only: Grace has no draft here, and cannot delete Ada's.
    const other = await h.as(GRACE).get(`/api/v1/notes/${page.id}/draft`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('draft_not_found');
    await h.as(GRACE).delete(`/api/v1/notes/${page.id}/draft`).expect(404);
    // A reader cannot write at all.
    await h.as(READER).put(`/api/v1/notes/${page.id}/draft`).send(draft('x')).expect(403);

    await h.as(ADA).delete(`/api/v1/notes/${page.id}/draft`).expect(204);
    await h.as(ADA).get(`/api/v1/notes/${page.id}/draft`).expect(404);
  });

  it('is deleted when its owner saves the page (not when someone else does)', async () => {
    const page = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send(aNote({ title: 'Saved over' }))
    ).body;
    await h.as(ADA).put(`/api/v1/notes/${page.id}/draft`).send(draft('mine')).expect(200);
    await h.as(GRACE).put(`/api/v1/notes/${page.id}/draft`).send(draft('hers')).expect(200);
    await h.as(ADA).put(`/api/v1/notes/${page.id}`).send({ version: 1, body: 'mine' }).expect(200);
    await h.as(ADA).get(`/api/v1/notes/${page.id}/draft`).expect(404);
    expect((await h.as(GRACE).get(`/api/v1/notes/${page.id}/draft`)).body.body).toBe('hers');
  });

  it('a new page’s draft: one per person, gone once they create a page', async () => {
    await h.as(ADA).get('/api/v1/drafts/new').expect(404);
    const put = await h.as(ADA).put('/api/v1/drafts/new').send(draft('new text', null));
    expect(put.body).toMatchObject({ noteId: null, body: 'new text', baseVersion: null });
    await h.as(GRACE).get('/api/v1/drafts/new').expect(404);
    await h
      .as(ADA)
      .post('/api/v1/notes')
      .send(aNote({ title: 'From a draft' }))
      .expect(201);
    await h.as(ADA).get('/api/v1/drafts/new').expect(404);
  });

  it('is bounded like a page and refuses control characters', async () => {
    const page = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send(aNote({ title: 'Bounded' }))
    ).body;
    const big = await h
      .as(ADA)
      .put(`/api/v1/notes/${page.id}/draft`)
      .send(draft('x'.repeat(1_000_001)));
    expect(big.status).toBe(400);
    const nul = await h.as(ADA).put(`/api/v1/notes/${page.id}/draft`).send(draft('a\u0000b'));
    expect(nul.status).toBe(400);
  });
});

describe('restoring a revision says what it restored', () => {
  it('the new version’s revision carries restoredFrom, in the history and the revision', async () => {
    const page = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send(aNote({ title: 'Restored' }))
    ).body;
    await h.as(ADA).put(`/api/v1/notes/${page.id}`).send({ version: 1, body: 'v2' }).expect(200);
    const restored = await h.as(ADA).post(`/api/v1/notes/${page.id}/revisions/1/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.version).toBe(3);
    const history = await h.as(ADA).get(`/api/v1/notes/${page.id}/revisions`);
    const items = (history.body as { items: { restoredFrom: number | null }[] }).items;
    expect(items.map((r) => r.restoredFrom)).toEqual([1, null, null]);
    const three = await h.as(ADA).get(`/api/v1/notes/${page.id}/revisions/3`);
    expect(three.body).toMatchObject({ number: 3, restoredFrom: 1, body: aNote().body });
  });
});
