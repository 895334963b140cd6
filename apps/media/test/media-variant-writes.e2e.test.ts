// On-demand variants are answered first and stored after (issue #15): the answer never waits for
// the write, requests meanwhile share the one render, and a write that fails only costs a render.
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { plainJpeg } from './fixtures.js';
import { binary, identity, startMedia, type MediaHarness } from './media-harness.js';
import { MediaStorage } from '../src/storage/media-storage.js';

describe('on-demand variant writes', () => {
  let media: MediaHarness;
  let id: string;

  const get = (path: string) => media.http().get(path).set(identity()).buffer(true).parse(binary);
  const rowsNamed = async (name: string) =>
    (
      await media.sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM media_files WHERE media_id = $1 AND name = $2',
        [id, name],
      )
    )[0]!.n;
  const rendered = async () => {
    const text = await media.metricsText();
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('lateral_media_images_processed_total{') &&
          l.includes('output_format="jpeg"'),
      );
    return line ? Number(line.split(' ').pop()) : 0;
  };

  beforeAll(async () => {
    media = await startMedia(inject('postgresAdminUrl'));
    const res = await media
      .http()
      .post('/api/v1/media')
      .set(identity())
      .attach('file', await plainJpeg(900, 600, 5), 'p.jpg');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.id;
  });
  afterAll(() => media?.close());

  it('answers before the variant is stored, and shares the render until it is', async () => {
    const storage = media.app.get(MediaStorage);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const save = storage.saveVariant.bind(storage);
    const spy = vi.spyOn(storage, 'saveVariant').mockImplementation(async (mediaId, file) => {
      await held;
      return save(mediaId, file);
    });
    try {
      const before = await rendered();
      const first = await get(`/api/v1/media/${id}?w=640&format=jpeg`);
      expect(first.status).toBe(200);
      expect(await rowsNamed('640.jpeg')).toBe(0); // answered while the write waits
      const second = await get(`/api/v1/media/${id}?w=640&format=jpeg`);
      expect(second.headers.etag).toBe(first.headers.etag);
      expect((second.body as Buffer).equals(first.body as Buffer)).toBe(true);
      expect(await rendered()).toBe(before + 1); // the second request did not render again
      release();
      await vi.waitFor(async () => expect(await rowsNamed('640.jpeg')).toBe(1));
      expect(spy).toHaveBeenCalledTimes(1);
      const stored = await get(`/api/v1/media/${id}?w=640&format=jpeg`);
      expect(stored.headers.etag).toBe(first.headers.etag);
      expect(await rendered()).toBe(before + 1);
    } finally {
      release();
      spy.mockRestore();
    }
  });

  it('answers when the write fails; the next request renders and stores it', async () => {
    const storage = media.app.get(MediaStorage);
    const spy = vi
      .spyOn(storage, 'saveVariant')
      .mockRejectedValueOnce(new Error('connection terminated'));
    try {
      const before = await rendered();
      const first = await get(`/api/v1/media/${id}?w=320&format=jpeg`);
      expect(first.status).toBe(200);
      await vi.waitFor(() => expect(spy).toHaveBeenCalledTimes(1));
      // The failed write left the variant to the next request (not a stale in-memory copy).
      await vi.waitFor(async () => {
        const again = await get(`/api/v1/media/${id}?w=320&format=jpeg`);
        expect(again.headers.etag).toBe(first.headers.etag);
        expect(await rendered()).toBe(before + 2);
      });
      await vi.waitFor(async () => expect(await rowsNamed('320.jpeg')).toBe(1));
    } finally {
      spy.mockRestore();
    }
  });

  it('reads an original from the store once for the widths a srcset asks for', async () => {
    const upload = await media
      .http()
      .post('/api/v1/media')
      .set(identity())
      .attach('file', await plainJpeg(2000, 1200, 7), 'srcset.jpg');
    expect(upload.status).toBe(201);
    const storage = media.app.get(MediaStorage);
    const readAll = vi.spyOn(storage, 'readAll');
    try {
      const widths = [640, 960];
      const answers = await Promise.all(
        widths.map((w) => get(`/api/v1/media/${upload.body.id}?w=${w}&format=webp`)),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect((await get(`/api/v1/media/${upload.body.id}?w=1280&format=webp`)).status).toBe(200);
      expect(readAll).toHaveBeenCalledTimes(1);
    } finally {
      readAll.mockRestore();
    }
  });

  it('waits for variant writes under way when it shuts down', async () => {
    const other = await startMedia(inject('postgresAdminUrl'), {}, { db: media.db });
    const storage = other.app.get(MediaStorage);
    const save = storage.saveVariant.bind(storage);
    vi.spyOn(storage, 'saveVariant').mockImplementation(async (mediaId, file) => {
      await new Promise((r) => setTimeout(r, 300));
      return save(mediaId, file);
    });
    const res = await other
      .http()
      .get(`/api/v1/media/${id}?w=960&format=png`)
      .set(identity())
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(await rowsNamed('900.png')).toBe(0);
    await other.close();
    expect(await rowsNamed('900.png')).toBe(1); // 960 collapses onto the 900 px original width
  });
});
