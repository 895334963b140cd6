// What the gateway's collection of unused images asks of media (admins only): the images
// uploaded before a time, paged in id order, and deleting one. On bytea the rows and bytes go
// at once; on s3 the rows go and the janitor removes the objects after its grace period.
import { readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { startS3Server, type S3Server } from '@lateral/testing';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { type UploadedBefore } from '@lateral/contracts';
import { ObjectJanitor } from '../src/storage/object-janitor.js';
import { plainJpeg } from './fixtures.js';
import { binary, identity, startMedia, type MediaHarness } from './media-harness.js';

const ADMIN = () => identity('admin-1', 'admin');
const inAMinute = () => new Date(Date.now() + 60_000).toISOString();

async function uploadTwo(media: MediaHarness): Promise<[string, string]> {
  const ids: string[] = [];
  for (const seed of [31, 32]) {
    const res = await media
      .http()
      .post('/api/v1/media')
      .set(identity())
      .attach('file', await plainJpeg(160, 120, seed), `photo-${seed}.jpg`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.id as string);
  }
  return ids.sort() as [string, string];
}

const imageStatus = async (media: MediaHarness, id: string, query = '') =>
  (await media.http().get(`/api/v1/media/${id}${query}`).set(identity()).buffer(true).parse(binary))
    .status;

describe('on bytea', () => {
  let media: MediaHarness;
  let first: string;
  let second: string;

  beforeAll(async () => {
    media = await startMedia(inject('postgresAdminUrl'));
    [first, second] = await uploadTwo(media);
    // A variant rendered on demand: a file row more, which must go with its image (its row is
    // written after the answer, so wait for it).
    expect(await imageStatus(media, first, '?w=320&format=avif')).toBe(200);
    await vi.waitFor(async () => {
      const files = await media.sql('SELECT 1 FROM media_files WHERE media_id = $1', [first]);
      expect(files.length).toBeGreaterThan(1);
    });
  });
  afterAll(async () => {
    await media?.close();
  });

  it('lists the images uploaded before a time, in id order, a page at a time', async () => {
    const list = (query: Record<string, string>) =>
      media.http().get('/api/v1/media-collection/uploaded-before').query(query).set(ADMIN());
    const idsOf = (body: unknown) => (body as UploadedBefore).items.map((i) => i.id);
    const all = await list({ before: inAMinute() });
    expect(all.status).toBe(200);
    expect(idsOf(all.body)).toEqual([first, second]);
    expect(all.body.next).toBeNull();
    const page1 = await list({ before: inAMinute(), limit: '1' });
    expect(page1.body).toMatchObject({ items: [{ id: first }], next: first });
    const page2 = await list({ before: inAMinute(), limit: '1', after: first });
    expect(idsOf(page2.body)).toEqual([second]);
    const older = await list({ before: new Date(Date.now() - 3_600_000).toISOString() });
    expect(older.body).toEqual({ items: [], next: null });
  });

  it('deletes an image with its variants; the other stays; a second delete is 404', async () => {
    const gone = await media.http().delete(`/api/v1/media/${first}`).set(ADMIN());
    expect(gone.status).toBe(204);
    expect(await imageStatus(media, first)).toBe(404);
    expect(await imageStatus(media, first, '?w=320&format=avif')).toBe(404);
    expect(await media.sql('SELECT 1 FROM media_files WHERE media_id = $1', [first])).toEqual([]);
    expect(await imageStatus(media, second)).toBe(200);
    const again = await media.http().delete(`/api/v1/media/${first}`).set(ADMIN());
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('media_not_found');
  });

  it('is for admins only; a bad time or id is refused', async () => {
    for (const role of ['editor', 'reader'] as const) {
      const who = identity('someone', role);
      expect((await media.http().delete(`/api/v1/media/${second}`).set(who)).status).toBe(403);
      const listed = await media
        .http()
        .get('/api/v1/media-collection/uploaded-before')
        .query({ before: inAMinute() })
        .set(who);
      expect(listed.status).toBe(403);
    }
    expect(await imageStatus(media, second)).toBe(200);
    const badTime = await media
      .http()
      .get('/api/v1/media-collection/uploaded-before')
      .query({ before: 'yesterday' })
      .set(ADMIN());
    expect(badTime.status).toBe(400);
    expect((await media.http().delete('/api/v1/media/..%2Fetc').set(ADMIN())).status).toBe(404);
  });
});

describe('on s3', () => {
  let s3: S3Server;
  let media: MediaHarness;
  let bucketDir: string;

  beforeAll(async () => {
    s3 = await startS3Server();
    const bucket = s3.createBucket('media-collection');
    bucketDir = join(s3.dir, bucket);
    media = await startMedia(inject('postgresAdminUrl'), {
      ...s3.mediaEnv(bucket),
      MEDIA_STORAGE: 's3',
      MEDIA_S3_JANITOR_INTERVAL_MINUTES: '0',
    });
  });
  afterAll(async () => {
    await media?.close();
    await s3?.close();
  });

  it('deletes the rows at once; the janitor removes the objects once past its grace', async () => {
    const [doomed, kept] = await uploadTwo(media);
    const objectsOf = async (id: string) =>
      (
        await media.sql<{ etag: string }>('SELECT etag FROM media_files WHERE media_id = $1', [id])
      ).map((r) => r.etag.replaceAll('"', ''));
    const doomedObjects = await objectsOf(doomed);
    const keptObjects = await objectsOf(kept);
    expect(doomedObjects.length).toBeGreaterThan(0);

    expect((await media.http().delete(`/api/v1/media/${doomed}`).set(ADMIN())).status).toBe(204);
    expect(await imageStatus(media, doomed)).toBe(404);
    const inBucket = () => readdirSync(bucketDir).filter((f) => /^[\w-]{43}$/.test(f));
    // Still there: an upload of the same bytes within the grace period would use them again.
    expect(inBucket()).toEqual(expect.arrayContaining(doomedObjects));

    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    for (const name of inBucket()) utimesSync(join(bucketDir, name), twoDaysAgo, twoDaysAgo);
    await media.app.get(ObjectJanitor).sweep();
    expect(inBucket().sort()).toEqual([...keptObjects].sort());
    expect(await imageStatus(media, kept)).toBe(200);
  });
});
