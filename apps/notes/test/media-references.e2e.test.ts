// Which images notes still uses (POST /api/v1/media-references), the question the gateway's
// collection of unused images asks before it deletes any: an image a page shows now or in any
// version, live or in the trash, or that a draft shows, is used; one only a page deleted for good
// showed, or nothing ever showed, is not.
import { type Identity } from '@lateral/identity';
import { type QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RevisionMedia1765650000000 } from '../src/database/migrations/1765650000000-revision-media.js';
import { ADA, READER, aNote, startNotes, type NotesHarness } from './notes-harness.js';

const ADMIN: Identity = { userId: 'admin-1', name: 'Ada Admin', role: 'admin' };

/** A media id as media makes them: 43 base64url characters. */
const mediaId = (n: number) => `${String(n).padStart(3, '0')}${'r'.repeat(40)}`;
const ON_PAGE = mediaId(1);
const IN_OLD_VERSION = mediaId(2);
const IN_TRASH = mediaId(3);
const ON_PURGED_PAGE = mediaId(4);
const IN_DRAFT = mediaId(5);
const NEVER_SHOWN = mediaId(6);
const ALL = [ON_PAGE, IN_OLD_VERSION, IN_TRASH, ON_PURGED_PAGE, IN_DRAFT, NEVER_SHOWN];
const img = (id: string) => `![photo](/api/v1/media/${id}?w=640)`;

let h: NotesHarness;

const referenced = async (ids: string[], who: Identity = ADMIN) => {
  const res = await h.as(who).post('/api/v1/media-references').send({ mediaIds: ids }).expect(200);
  return [...(res.body as { referenced: string[] }).referenced].sort();
};

async function createPage(title: string, body: string): Promise<{ id: string; version: number }> {
  const res = await h.as(ADA).post('/api/v1/notes').send(aNote({ title, body })).expect(201);
  return res.body as { id: string; version: number };
}

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
  await createPage('Shown now', `Here: ${img(ON_PAGE)}`);
  const edited = await createPage('Edited away', `Before: ${img(IN_OLD_VERSION)}`);
  await h
    .as(ADA)
    .put(`/api/v1/notes/${edited.id}`)
    .send({ version: edited.version, body: 'The picture went.' })
    .expect(200);
  const trashed = await createPage('In the trash', img(IN_TRASH));
  await h.as(ADA).delete(`/api/v1/notes/${trashed.id}`).expect(204);
  const purged = await createPage('Gone for good', img(ON_PURGED_PAGE));
  await h.as(ADA).delete(`/api/v1/notes/${purged.id}`).expect(204);
  await h.as(ADMIN).delete(`/api/v1/notes/${purged.id}?permanent=true`).expect(204);
  await h
    .as(ADA)
    .put('/api/v1/drafts/new')
    .send({ title: 'Not saved yet', body: `Pasted: ${img(IN_DRAFT)}`, tags: [] })
    .expect(200);
});
afterAll(async () => {
  await h?.close();
});

describe('POST /api/v1/media-references', () => {
  it('keeps what a page shows now or in an old version, in the trash, or in a draft', async () => {
    expect(await referenced(ALL)).toEqual([ON_PAGE, IN_OLD_VERSION, IN_TRASH, IN_DRAFT].sort());
  });

  it('leaves out images only a page deleted for good showed, and images nothing showed', async () => {
    expect(await referenced([ON_PURGED_PAGE, NEVER_SHOWN])).toEqual([]);
  });

  it('is for admins: the collection runs as one', async () => {
    const res = await h
      .as(READER)
      .post('/api/v1/media-references')
      .send({ mediaIds: [ON_PAGE] });
    expect(res.status).toBe(403);
    expect((await h.as(ADA).post('/api/v1/media-references').send({ mediaIds: ALL })).status).toBe(
      403,
    );
  });

  it('refuses an empty list, more than 500 ids and malformed ids with 400', async () => {
    for (const mediaIds of [
      [],
      Array.from({ length: 501 }, (_, i) => mediaId(i)),
      ['not an id!'],
    ]) {
      const res = await h.as(ADMIN).post('/api/v1/media-references').send({ mediaIds });
      expect(res.status, JSON.stringify(mediaIds).slice(0, 40)).toBe(400);
    }
  });

  it('the migration fills revision_media from the versions saved before it', async () => {
    // As on a database from before the migration: the table does not exist yet.
    await h.sql.query('DROP TABLE revision_media');
    const runner = { query: (text: string) => h.sql.query(text) } as unknown as QueryRunner;
    await new RevisionMedia1765650000000().up(runner);
    const { rows } = await h.sql.query<{ media_id: string }>(
      'SELECT media_id FROM revision_media ORDER BY media_id',
    );
    expect(rows.map((r) => r.media_id)).toEqual([ON_PAGE, IN_OLD_VERSION, IN_TRASH].sort());
    expect(await referenced(ALL)).toEqual([ON_PAGE, IN_OLD_VERSION, IN_TRASH, IN_DRAFT].sort());
  });
});
