// `media:migrate-storage` under traffic: every file moved bytea → s3 (interrupted once, then
// resumed) → bytea, each copy's SHA-256 checked, while clients read originals, ranges and
// variants and check every body against its ETag. A corrupted object is reported and left.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@lateral/observability';
import { startS3Server, type S3Server } from '@lateral/testing';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { MediaRepository } from '../src/media/media.repository.js';
import { MediaStorage } from '../src/storage/media-storage.js';
import { ObjectJanitor } from '../src/storage/object-janitor.js';
import { StorageMigration } from '../src/storage/storage-migration.js';
import { plainJpeg } from './fixtures.js';
import { binary, identity, startMedia, type MediaHarness } from './media-harness.js';

const hashOf = (data: Buffer) => createHash('sha256').update(data).digest('base64url');
const silent = createLogger({ service: 'media', level: 'silent' });
const IMAGES = 6;
/** Files named like our keys (versitygw keeps its own `.sgwtmp` beside them). */
const objectsIn = (dir: string) => readdirSync(dir).filter((f) => /^[\w-]{43}$/.test(f));

interface Traffic {
  stop(): Promise<{ requests: number; failures: string[] }>;
}

/**
 * Four clients reading every path in turn (whole, and a range every third request) until
 * stopped; at most 5,000 requests each. A 200 body must hash to its ETag, a 206 must equal the
 * same bytes of the whole file as first read.
 */
function startTraffic(media: MediaHarness, paths: string[], whole: Map<string, Buffer>): Traffic {
  let stopped = false;
  let requests = 0;
  const failures: string[] = [];
  const client = async (offset: number) => {
    for (let i = offset; !stopped && i < offset + 5_000; i++) {
      const path = paths[i % paths.length] as string;
      const ranged = i % 3 === 0 && !path.includes('?');
      const req = media.http().get(path).set(identity()).buffer(true).parse(binary);
      const res = await (ranged ? req.set('range', 'bytes=10-99') : req);
      requests += 1;
      const body = res.body as Buffer;
      if (ranged && res.status === 206) {
        if (!body.equals((whole.get(path) as Buffer).subarray(10, 100)))
          failures.push(`${path} range differs`);
      } else if (res.status === 200) {
        if (`"${hashOf(body)}"` !== res.headers.etag) failures.push(`${path} body ≠ ETag`);
      } else {
        failures.push(`${path} answered ${res.status}: ${body.toString().slice(0, 200)}`);
      }
    }
  };
  const running = Promise.all([0, 1, 2, 3].map((n) => client(n * 7)));
  return {
    async stop() {
      stopped = true;
      await running;
      return { requests, failures };
    },
  };
}

describe('media:migrate-storage under traffic', () => {
  let s3: S3Server;
  let bucketDir: string;
  /** The service before the switch (MEDIA_STORAGE=bytea, bucket configured). */
  let onBytea: MediaHarness;
  /** The same database served with MEDIA_STORAGE=s3 (after the switch). */
  let onS3: MediaHarness;
  const paths: string[] = [];
  const whole = new Map<string, Buffer>();

  const files = (media: MediaHarness) =>
    media.sql<{ media_id: string; name: string; etag: string; store: string; data: Buffer | null }>(
      `SELECT media_id, name, etag, store, data FROM media_files ORDER BY media_id, name`,
    );
  const objectsInBucket = () => objectsIn(bucketDir);
  const migration = (media: MediaHarness) =>
    new StorageMigration(media.app.get(MediaRepository), media.app.get(MediaStorage), silent);

  beforeAll(async () => {
    s3 = await startS3Server();
    const bucket = s3.createBucket('media-migration');
    bucketDir = join(s3.dir, bucket);
    const env = { ...s3.mediaEnv(bucket), MEDIA_S3_JANITOR_INTERVAL_MINUTES: '0' };
    onBytea = await startMedia(inject('postgresAdminUrl'), { ...env, MEDIA_STORAGE: 'bytea' });
    onS3 = await startMedia(
      inject('postgresAdminUrl'),
      { ...env, MEDIA_STORAGE: 's3' },
      {
        db: onBytea.db,
      },
    );
    for (let seed = 0; seed < IMAGES; seed++) {
      const res = await onBytea
        .http()
        .post('/api/v1/media')
        .set(identity())
        .attach('file', await plainJpeg(400, 300, seed), `p${seed}.jpg`);
      expect(res.status).toBe(201);
      paths.push(`/api/v1/media/${res.body.id}`, `/api/v1/media/${res.body.id}?w=320&format=jpeg`);
    }
    for (const path of paths) {
      const res = await onBytea.http().get(path).set(identity()).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      whole.set(path, res.body as Buffer);
    }
    // Variants are stored just after their answer: all rows are there before the migration.
    await vi.waitFor(async () =>
      expect((await files(onBytea)).filter((f) => f.name === '320.jpeg')).toHaveLength(IMAGES),
    );
  });
  afterAll(async () => {
    await onS3?.close();
    await onBytea?.close();
    await s3?.close();
  });

  it('moves every file to s3 in batches, resumes after an interruption, serving throughout', async () => {
    const before = await files(onS3);
    expect(before.every((f) => f.store === 'bytea')).toBe(true);
    const traffic = startTraffic(onS3, paths, whole);

    // Interrupted after the first batch (a crash, a deploy): the moved rows stay moved.
    await expect(
      migration(onS3).run('s3', {
        batchSize: 4,
        onBatch: () => {
          throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    const halfway = await files(onS3);
    expect(halfway.filter((f) => f.store === 's3')).toHaveLength(4);

    // An upload meanwhile goes to the new store.
    const late = await onS3
      .http()
      .post('/api/v1/media')
      .set(identity())
      .attach('file', await plainJpeg(200, 100, 99), 'late.jpg');
    expect(late.status).toBe(201);

    const report = await migration(onS3).run('s3', { batchSize: 4 });
    const { requests, failures } = await traffic.stop();
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(0);
    expect(report.failed).toEqual([]);
    expect(report.moved).toBe(before.length - 4);
    expect(report.counts.bytea.files).toBe(0);

    for (const file of await files(onS3)) {
      expect(file).toMatchObject({ store: 's3', data: null });
      const hash = file.etag.replaceAll('"', '');
      expect(hashOf(readFileSync(join(bucketDir, hash)))).toBe(hash);
    }
  });

  it('moves every file back to bytea, leaving a corrupted object where it is until fixed', async () => {
    const stored = await files(onBytea);
    const victim = stored.find((f) => f.name === '320.webp') as (typeof stored)[number];
    const victimPath = join(bucketDir, victim.etag.replaceAll('"', ''));
    const good = readFileSync(victimPath);
    writeFileSync(
      victimPath,
      Buffer.concat([good.subarray(0, 100), Buffer.alloc(good.length - 100)]),
    );

    const traffic = startTraffic(onBytea, paths, whole);
    const report = await migration(onBytea).run('bytea', { batchSize: 5 });
    expect(report.failed).toEqual([
      { mediaId: victim.media_id, name: '320.webp', reason: 'object does not match its hash' },
    ]);
    expect(report.counts.s3.files).toBe(1);

    writeFileSync(victimPath, good);
    const rerun = await migration(onBytea).run('bytea');
    const { requests, failures } = await traffic.stop();
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(0);
    expect(rerun).toMatchObject({ moved: 1, failed: [] });
    expect(rerun.counts.s3.files).toBe(0);

    for (const file of await files(onBytea)) {
      expect(file.store).toBe('bytea');
      expect(`"${hashOf(file.data as Buffer)}"`).toBe(file.etag);
    }
  });

  it('lets the janitor delete the objects no row points to any more', async () => {
    const objects = objectsInBucket();
    expect(objects.length).toBeGreaterThan(0);
    const old = new Date(Date.now() - 48 * 3_600_000);
    for (const name of objects) utimesSync(join(bucketDir, name), old, old);
    const result = await onBytea.app.get(ObjectJanitor).sweep();
    expect(result).toEqual({ seen: objects.length, deleted: objects.length });
    expect(objectsInBucket()).toEqual([]);
    for (const path of paths)
      expect((await onBytea.http().get(path).set(identity())).status).toBe(200);
  });
});
