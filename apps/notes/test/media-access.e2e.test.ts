// Who may read an image (#12): page_media kept on save, revision restore, trash and delete for
// good; GET /api/v1/media-access/{id} for members, outsiders, admins, team images and images
// no page shows yet.
import { type Identity } from '@lateral/identity';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADA, GRACE, READER, aNote, startNotes, type NotesHarness } from './notes-harness.js';

const ADMIN: Identity = { userId: 'admin-1', name: 'Ada Admin', role: 'admin' };
/** GRACE is a global editor and no member of the private space. */
const OUTSIDER = GRACE;

/** A media id as media makes them: 43 base64url characters. */
const mediaId = (n: number) => `${String(n).padStart(3, '0')}${'x'.repeat(40)}`;
const PRIVATE_IMG = mediaId(1);
const TEAM_IMG = mediaId(2);
const BOTH_IMG = mediaId(3);
const FRESH_IMG = mediaId(4);
const img = (id: string, query = '') => `![photo](/api/v1/media/${id}${query})`;

let h: NotesHarness;
let privateSpace: { id: string };

async function mediaOf(pageId: string): Promise<string[]> {
  const { rows } = await h.sql.query<{ media_id: string }>(
    `SELECT media_id FROM page_media WHERE page_id = $1 ORDER BY media_id`,
    [pageId],
  );
  return rows.map((r) => r.media_id);
}

const access = (who: Identity, id: string) => h.as(who).get(`/api/v1/media-access/${id}`);

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
  privateSpace = (
    await h
      .as(ADA)
      .post('/api/v1/spaces')
      .send({ name: 'Secret', visibility: 'private' })
      .expect(201)
  ).body;
  await h
    .as(ADA)
    .put(`/api/v1/spaces/${privateSpace.id}/members/${READER.userId}`)
    .send({ role: 'reader' })
    .expect(200);
});
afterAll(async () => {
  await h?.close();
});

describe('page_media', () => {
  it('follows the body on create and save: added, removed, variants and code ignored', async () => {
    const page = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send(
          aNote({
            title: 'Media page',
            body: `${img(mediaId(10))} and ${img(mediaId(11), '?w=640')}`,
          }),
        )
        .expect(201)
    ).body;
    expect(await mediaOf(page.id)).toEqual([mediaId(10), mediaId(11)]);

    const body = [
      img(mediaId(11)),
      `<img src="https://wiki.example/api/v1/media/${mediaId(12)}?w=320&format=webp">`,
      '`/api/v1/media/' + mediaId(13) + '`',
      '/api/v1/media/short-id',
    ].join('\n');
    await h.as(ADA).put(`/api/v1/notes/${page.id}`).send({ version: 1, body }).expect(200);
    expect(await mediaOf(page.id)).toEqual([mediaId(11), mediaId(12)]);

    await h
      .as(ADA)
      .put(`/api/v1/notes/${page.id}`)
      .send({ version: 2, body: 'no images' })
      .expect(200);
    expect(await mediaOf(page.id)).toEqual([]);

    // Restoring revision 1 brings its images back.
    await h.as(ADA).post(`/api/v1/notes/${page.id}/revisions/1/restore`).expect(200);
    expect(await mediaOf(page.id)).toEqual([mediaId(10), mediaId(11)]);
  });

  it('stays while the page is in the trash and goes when it is deleted for good', async () => {
    const page = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send(aNote({ title: 'Trashed media page', body: img(mediaId(20)) }))
        .expect(201)
    ).body;
    await h.as(ADA).delete(`/api/v1/notes/${page.id}`).expect(204);
    expect(await mediaOf(page.id)).toEqual([mediaId(20)]);
    await h.as(ADMIN).delete(`/api/v1/notes/${page.id}?permanent=true`).expect(204);
    expect(await mediaOf(page.id)).toEqual([]);
  });
});

describe('GET /api/v1/media-access/{mediaId}', () => {
  let secretPage: { id: string };

  beforeAll(async () => {
    secretPage = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send({
          ...aNote({ title: 'Secret photos', body: `${img(PRIVATE_IMG)}\n${img(BOTH_IMG)}` }),
          spaceId: privateSpace.id,
        })
        .expect(201)
    ).body;
    await h
      .as(ADA)
      .post('/api/v1/notes')
      .send(aNote({ title: 'Team photos', body: `${img(TEAM_IMG, '?w=640')}\n${img(BOTH_IMG)}` }))
      .expect(201);
  });

  it('answers members and admins for a private page image, not public', async () => {
    for (const who of [ADA, READER, ADMIN]) {
      const res = await access(who, PRIVATE_IMG).expect(200);
      expect(res.body).toEqual({ mediaId: PRIVATE_IMG, public: false });
    }
  });

  it('answers an outsider 404, as for an id that does not exist', async () => {
    const res = await access(OUTSIDER, PRIVATE_IMG).expect(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('keeps an image private when a team page shows it too (a pasted URL publishes nothing)', async () => {
    await access(OUTSIDER, BOTH_IMG).expect(404);
    expect((await access(READER, BOTH_IMG).expect(200)).body.public).toBe(false);
  });

  it('answers everyone for an image only team pages show, public', async () => {
    for (const who of [OUTSIDER, READER, ADMIN]) {
      expect((await access(who, TEAM_IMG).expect(200)).body).toEqual({
        mediaId: TEAM_IMG,
        public: true,
      });
    }
  });

  it('answers the uploader and everyone else for an image no page shows yet', async () => {
    // Media, not notes, knows who uploaded it: the rule lets every signed-in person read an
    // image no page shows (its id is the SHA-256 of its bytes), so the uploader sees it at once.
    for (const who of [ADA, OUTSIDER]) {
      expect((await access(who, FRESH_IMG).expect(200)).body).toEqual({
        mediaId: FRESH_IMG,
        public: true,
      });
    }
  });

  it('keeps a trashed private page image private; frees it once the page is deleted for good', async () => {
    await h.as(ADA).delete(`/api/v1/notes/${secretPage.id}`).expect(204);
    await access(OUTSIDER, PRIVATE_IMG).expect(404);
    await access(READER, PRIVATE_IMG).expect(200);
    await h.as(ADMIN).delete(`/api/v1/notes/${secretPage.id}?permanent=true`).expect(204);
    expect((await access(OUTSIDER, PRIVATE_IMG).expect(200)).body.public).toBe(true);
  });

  it('follows a page moved into a private space', async () => {
    const id = mediaId(30);
    const page = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send(aNote({ title: 'Mover', body: img(id) }))
        .expect(201)
    ).body;
    await access(OUTSIDER, id).expect(200);
    await h
      .as(ADA)
      .post(`/api/v1/notes/${page.id}/move`)
      .send({ spaceId: privateSpace.id })
      .expect(200);
    await access(OUTSIDER, id).expect(404);
    await access(READER, id).expect(200);
  });

  it('refuses a malformed id', async () => {
    await access(ADA, 'a%20b').expect(400);
  });
});
