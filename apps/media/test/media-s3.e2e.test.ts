// media on the s3 driver against a real S3 implementation (versitygw on loopback, started here):
// objects under their SHA-256, rows without bytes, streamed and ranged reads, 304/HEAD without
// the store, an outage answered 503 + Retry-After with readiness saying why, and the janitor.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startS3Server, type S3Server } from '@lateral/testing';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { ObjectJanitor } from '../src/storage/object-janitor.js';
import { MediaStorage } from '../src/storage/media-storage.js';
import { photoWithExif, plainJpeg } from './fixtures.js';
import { binary, identity, startMedia, type MediaHarness } from './media-harness.js';

const hashOf = (data: Buffer) => createHash('sha256').update(data).digest('base64url');
/** A sample's value in Prometheus text, whatever order its labels were written in. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').pop()) : 0;
}
const TWO_DAYS_AGO = new Date(Date.now() - 48 * 3_600_000);

describe('media on the s3 driver', () => {
  let s3: S3Server;
  let media: MediaHarness;
  let bucketDir: string;
  let photoId: string;

  const upload = (file: Buffer, filename = 'photo.jpg') =>
    media.http().post('/api/v1/media').set(identity()).attach('file', file, filename);
  const get = (path: string, headers: Record<string, string> = {}) =>
    media.http().get(path).set(identity()).set(headers).buffer(true).parse(binary);
  const objectsInBucket = () => readdirSync(bucketDir).filter((f) => /^[\w-]{43}$/.test(f));

  beforeAll(async () => {
    s3 = await startS3Server();
    const bucket = s3.createBucket('media-e2e');
    bucketDir = join(s3.dir, bucket);
    media = await startMedia(inject('postgresAdminUrl'), {
      ...s3.mediaEnv(bucket),
      MEDIA_STORAGE: 's3',
      MEDIA_S3_TIMEOUT_MS: '1000',
      MEDIA_S3_JANITOR_INTERVAL_MINUTES: '0',
    });
    const res = await upload(await photoWithExif());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    photoId = res.body.id;
  });
  afterAll(async () => {
    await media?.close();
    await s3?.close();
  });

  it('writes every file as an object named by its SHA-256 and keeps no bytes in the rows', async () => {
    const rows = await media.sql<{
      name: string;
      etag: string;
      store: string;
      data: Buffer | null;
    }>(`SELECT name, etag, store, data FROM media_files WHERE media_id = $1`, [photoId]);
    expect(rows.map((r) => r.name).sort()).toEqual(['320.webp', '400.webp', 'original']);
    for (const row of rows) {
      expect(row).toMatchObject({ store: 's3', data: null });
      const hash = row.etag.replaceAll('"', '');
      expect(hashOf(readFileSync(join(bucketDir, hash)))).toBe(hash);
    }
  });

  it('serves the original from the store with its ETag, and ranges through ranged GETs', async () => {
    const full = await get(`/api/v1/media/${photoId}`);
    expect(full.status).toBe(200);
    expect(`"${hashOf(full.body as Buffer)}"`).toBe(full.headers.etag);
    expect(full.headers['content-length']).toBe(String((full.body as Buffer).length));

    const part = await get(`/api/v1/media/${photoId}`, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${(full.body as Buffer).length}`);
    expect((part.body as Buffer).equals((full.body as Buffer).subarray(100, 200))).toBe(true);
    const tail = await get(`/api/v1/media/${photoId}`, { range: 'bytes=-10' });
    expect((tail.body as Buffer).equals((full.body as Buffer).subarray(-10))).toBe(true);
    expect((await get(`/api/v1/media/${photoId}`, { range: 'bytes=999999999-' })).status).toBe(416);
  });

  it('renders a variant once, stores it as an object and serves it from there', async () => {
    const first = await get(`/api/v1/media/${photoId}?w=320&format=jpeg`);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('image/jpeg');
    // Stored just after the answer (media-variant-writes.e2e.test.ts).
    await vi.waitFor(async () => {
      const [row] = await media.sql<{ store: string; etag: string }>(
        `SELECT store, etag FROM media_files WHERE media_id = $1 AND name = '320.jpeg'`,
        [photoId],
      );
      expect(row?.store).toBe('s3');
      expect(row?.etag).toBe(first.headers.etag);
    });
    const again = await get(`/api/v1/media/${photoId}?w=320&format=jpeg`);
    expect((again.body as Buffer).equals(first.body as Buffer)).toBe(true);
    const text = await media.metricsText();
    const gets = { store: 's3', operation: 'get' };
    expect(sample(text, 'lateral_media_store_duration_seconds_count', gets)).toBeGreaterThan(0);
    // Served bytes came from the store; so did the original the render read.
    expect(
      sample(text, 'lateral_media_store_bytes_total', { store: 's3', direction: 'out' }),
    ).toBeGreaterThan(sample(text, 'lateral_media_bytes_out_total', {}));
  });

  it('answers 304, HEAD and /meta from the rows while the store is down', async () => {
    const full = await get(`/api/v1/media/${photoId}`);
    await s3.stop();
    try {
      const revalidated = await get(`/api/v1/media/${photoId}`, {
        'if-none-match': full.headers.etag as string,
      });
      expect(revalidated.status).toBe(304);
      const head = await media.http().head(`/api/v1/media/${photoId}`).set(identity());
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe(String((full.body as Buffer).length));
      expect((await media.http().get(`/api/v1/media/${photoId}/meta`).set(identity())).status).toBe(
        200,
      );
    } finally {
      await s3.start();
    }
  });

  it('answers 503 with Retry-After while the store is down, stores nothing, then recovers', async () => {
    const newPhoto = await plainJpeg(300, 200, 91);
    await s3.stop();
    try {
      const read = await get(`/api/v1/media/${photoId}`);
      expect(read.status).toBe(503);
      expect(read.headers['retry-after']).toBe('5');
      expect(JSON.parse((read.body as Buffer).toString()).error.code).toBe('storage_unavailable');

      const refused = await upload(newPhoto, 'new.jpg');
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('storage_unavailable');
      expect(refused.headers['retry-after']).toBe('5');
      const rows = await media.sql(`SELECT 1 FROM media_items WHERE id = $1`, [hashOf(newPhoto)]);
      expect(rows).toHaveLength(0);

      const ready = await media.http().get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.object_store).toBe('object store check failed: unreachable');
      const errors = { store: 's3', operation: 'put', kind: 'unreachable' };
      expect(
        sample(await media.metricsText(), 'lateral_media_store_errors_total', errors),
      ).toBeGreaterThan(0);
    } finally {
      await s3.start();
    }
    expect((await media.http().get('/readyz')).status).toBe(200);
    expect((await get(`/api/v1/media/${photoId}`)).status).toBe(200);
    const stored = await upload(newPhoto, 'new.jpg');
    expect(stored.status).toBe(201);
    expect(stored.body.id).toBe(hashOf(newPhoto));
  });

  it('writes an object again when it vanished between the PUT and the row (janitor race)', async () => {
    const storage = media.app.get(MediaStorage);
    const data = Buffer.from('bytes whose object the janitor just removed');
    const etag = `"${hashOf(data)}"`;
    expect(existsSync(join(bucketDir, hashOf(data)))).toBe(false);
    await storage.ensureObjects([{ etag, data }]);
    expect(readFileSync(join(bucketDir, hashOf(data))).equals(data)).toBe(true);
  });

  it('sweeps objects no row points to once they are past the grace period, and only those', async () => {
    const orphan = Buffer.from('an upload whose row was never written');
    const fresh = Buffer.from('an upload still being written');
    writeFileSync(join(bucketDir, hashOf(orphan)), orphan);
    writeFileSync(join(bucketDir, hashOf(fresh)), fresh);
    writeFileSync(join(bucketDir, 'not-ours.txt'), 'someone else');
    utimesSync(join(bucketDir, 'not-ours.txt'), TWO_DAYS_AGO, TWO_DAYS_AGO);
    // Old enough: every object, referenced or not, except the fresh one.
    for (const name of objectsInBucket().filter((n) => n !== hashOf(fresh)))
      utimesSync(join(bucketDir, name), TWO_DAYS_AGO, TWO_DAYS_AGO);
    const referenced = (
      await media.sql<{ etag: string }>(`SELECT etag FROM media_files WHERE store = 's3'`)
    ).map((r) => r.etag.replaceAll('"', ''));
    const before = objectsInBucket();

    const result = await media.app.get(ObjectJanitor).sweep();

    // The janitor-race test above left one more unreferenced object.
    const unreferencedOld = before.filter((n) => !referenced.includes(n) && n !== hashOf(fresh));
    expect(unreferencedOld).toContain(hashOf(orphan));
    expect(result).toEqual({ seen: before.length, deleted: unreferencedOld.length });
    expect(objectsInBucket().sort()).toEqual([...referenced, hashOf(fresh)].sort());
    expect(existsSync(join(bucketDir, 'not-ours.txt'))).toBe(true);
    // Everything still serves.
    expect((await get(`/api/v1/media/${photoId}?w=320&format=jpeg`)).status).toBe(200);
  });
});
