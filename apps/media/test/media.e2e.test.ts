// One file (~360 lines) on purpose: every test runs against one media process that the earlier
// tests fed, and the last test asserts the exact metric totals they produced (images processed,
// rejections by reason, bytes in and out). Listing: media-list.e2e.test.ts.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  animatedGif,
  cornerColours,
  photoWithExif,
  plainJpeg,
  pngWithAlpha,
  zipBytes,
} from './fixtures.js';
import { type MediaJson } from '../src/media/media.view.js';
import { signIdentity } from '@lateral/identity';
import {
  INTERNAL_SECRET,
  binary,
  identity,
  startMedia,
  type MediaHarness,
} from './media-harness.js';

const CHROME_ACCEPT = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';

describe('media over HTTP', () => {
  let media: MediaHarness;
  let photo: Buffer;
  let photoId: string;

  const upload = (file: Buffer, filename = 'photo.jpg', who = identity()) =>
    media.http().post('/api/v1/media').set(who).attach('file', file, filename);
  const get = (path: string, headers: Record<string, string> = {}) =>
    media.http().get(path).set(identity()).set(headers).buffer(true).parse(binary);

  beforeAll(async () => {
    media = await startMedia(inject('postgresAdminUrl'));
    photo = await photoWithExif();
    const res = await upload(photo);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    photoId = res.body.id;
  });
  afterAll(() => media?.close());

  it('refuses callers without the gateway signature, but not the probes', async () => {
    const anonymous = await media.http().get(`/api/v1/media/${photoId}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    const forged = await media
      .http()
      .post('/api/v1/media')
      .set('x-lateral-identity', 'v1.dXNlcg.dXNlcg.admin.1.bad')
      .attach('file', photo, 'a.jpg');
    expect(forged.status).toBe(401);
    const signedForMeta = signIdentity(
      { userId: 'user-1', name: 'u', role: 'editor' },
      INTERNAL_SECRET,
      {
        method: 'GET',
        path: `/api/v1/media/${photoId}/meta`,
      },
    );
    const replayed = await media
      .http()
      .get(`/api/v1/media/${photoId}`)
      .set('x-lateral-identity', signedForMeta);
    expect(replayed.status).toBe(401);
    const bodyForGet = await media
      .http()
      .post('/api/v1/media')
      .set('x-lateral-identity', signedForMeta)
      .attach('file', photo, 'a.jpg');
    expect(bodyForGet.status).toBe(401);
    const reader = await upload(photo, 'a.jpg', identity('reader-1', 'reader'));
    expect([reader.status, reader.body.error.code]).toEqual([403, 'forbidden']);
    expect((await media.http().get('/healthz')).status).toBe(200);
    const ready = await media.http().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', image_queue: 'ok' });
  });

  it('stores an upload under its content hash, upright, with its metadata as data', async () => {
    const res = await media.http().get(`/api/v1/media/${photoId}/meta`).set(identity());
    const meta = { body: res.body as MediaJson };
    expect(photoId).toMatch(/^[\w-]{43}$/);
    expect(meta.body).toMatchObject({
      id: photoId,
      contentType: 'image/jpeg',
      width: 400,
      height: 600,
      takenAt: '2024-05-06T05:08:09.000Z',
      camera: { make: 'Apple', model: 'iPhone 13' },
      location: { type: 'Point', coordinates: [2.2945, 48.8582222] },
      animated: false,
    });
    expect(typeof meta.body.thumbhash).toBe('string');
    expect(Buffer.from(meta.body.thumbhash ?? '', 'base64').length).toBeGreaterThan(5);
    // Thumbnail at 320; the 1600 display size collapses onto the 400 px original (no upscaling).
    expect(meta.body.variants.map((v) => `${v.width}.${v.format}`)).toEqual([
      '320.webp',
      '400.webp',
    ]);
    const row = await media.sql('SELECT uploaded_by FROM media_items WHERE id = $1', [photoId]);
    expect(row).toEqual([{ uploaded_by: 'user-1' }]);
  });

  it('serves the original oriented and stripped of EXIF and GPS', async () => {
    const res = await get(`/api/v1/media/${photoId}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    const served = await sharp(res.body).metadata();
    expect(served.exif).toBeUndefined();
    expect(served.orientation).toBeUndefined();
    expect(served.xmp).toBeUndefined();
    // Baseline: every on-demand variant decodes it, and a progressive one decodes ~2x slower.
    expect(served.isProgressive).toBe(false);
    const pixels = await cornerColours(res.body);
    expect([pixels.width, pixels.height]).toEqual([400, 600]);
    expect(pixels.top[0]).toBeGreaterThan(200); // red on top: rotated 90° clockwise
    expect(pixels.bottom[2]).toBeGreaterThan(200);
    expect(new TextDecoder('latin1').decode(res.body)).not.toContain('iPhone');
  });

  it('converts a wide-gamut (Display P3) photo to sRGB', async () => {
    const srgb = { r: 200, g: 100, b: 50 };
    const p3 = await sharp({ create: { width: 16, height: 16, channels: 3, background: srgb } })
      .withIccProfile('p3')
      .jpeg({ quality: 100 })
      .toBuffer();
    const tagged = await sharp(p3, { ignoreIcc: true }).raw().toBuffer();
    expect(Math.abs(tagged[0]! - srgb.r)).toBeGreaterThan(8); // the file's numbers are P3's
    const res = await upload(p3, 'wide.jpg');
    const served = await get(`/api/v1/media/${String(res.body.id)}`);
    expect((await sharp(served.body).metadata()).icc).toBeUndefined();
    const pixel = await sharp(served.body).raw().toBuffer();
    expect(Math.abs(pixel[0]! - srgb.r)).toBeLessThanOrEqual(3);
    expect(Math.abs(pixel[1]! - srgb.g)).toBeLessThanOrEqual(3);
    expect(Math.abs(pixel[2]! - srgb.b)).toBeLessThanOrEqual(3);
  });

  it('hides the location from everyone but the uploader and admins', async () => {
    const other = await media.http().get(`/api/v1/media/${photoId}/meta`).set(identity('user-2'));
    expect(other.body.location).toBeNull();
    expect(other.body.camera).toEqual({ make: 'Apple', model: 'iPhone 13' });
    const admin = await media
      .http()
      .get(`/api/v1/media/${photoId}/meta`)
      .set(identity('root', 'admin'));
    expect(admin.body.location.type).toBe('Point');
  });

  it('stores the same bytes once: a second upload answers 201 with the same id', async () => {
    const count = async () =>
      (await media.sql<{ n: number }>('SELECT count(*)::int AS n FROM media_items'))[0]!.n;
    const before = await count();
    const again = await upload(photo, 'copy-of-photo.jpeg', identity('user-2'));
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(photoId);
    expect(await count()).toBe(before);
    const owner = await media.sql('SELECT uploaded_by FROM media_items WHERE id = $1', [photoId]);
    expect(owner).toEqual([{ uploaded_by: 'user-1' }]);
  });

  it('processes the same new file sent twice at once only once', async () => {
    const decodes = async () =>
      Number(
        /^lateral_media_decode_duration_seconds_count\{service="media",format="jpeg"\} (\d+)$/m.exec(
          await media.metricsText(),
        )?.[1] ?? 0,
      );
    const before = await decodes();
    const twin = await plainJpeg(300, 200, 42);
    const [a, b] = await Promise.all([upload(twin, 'a.jpg'), upload(twin, 'b.jpg')]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(await decodes()).toBe(before + 1);
  });

  it('negotiates the variant format from Accept and says so with Vary', async () => {
    const avif = await get(`/api/v1/media/${photoId}?w=320`, { accept: CHROME_ACCEPT });
    expect(avif.status).toBe(200);
    expect(avif.headers['content-type']).toBe('image/avif');
    expect(avif.headers.vary).toBe('Accept');
    const avifMeta = await sharp(avif.body).metadata();
    expect([avifMeta.format, avifMeta.width, avifMeta.height]).toEqual(['heif', 320, 480]);
    expect(avifMeta.exif).toBeUndefined();

    const webp = await get(`/api/v1/media/${photoId}?w=320`, { accept: 'image/webp,*/*' });
    expect(webp.headers['content-type']).toBe('image/webp');
    const jpeg = await get(`/api/v1/media/${photoId}?w=320`, { accept: '*/*' });
    expect(jpeg.headers['content-type']).toBe('image/jpeg');
    const jpegMeta = await sharp(jpeg.body).metadata();
    expect([jpegMeta.width, jpegMeta.isProgressive]).toEqual([320, true]);
  });

  it('takes ?format= literally (no Vary) and refuses widths outside the list', async () => {
    const png = await get(`/api/v1/media/${photoId}?w=320&format=png`, { accept: CHROME_ACCEPT });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers.vary).toBeUndefined();
    const bad = await media.http().get(`/api/v1/media/${photoId}?w=500`).set(identity());
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_variant');
    const badFormat = await media.http().get(`/api/v1/media/${photoId}?format=svg`).set(identity());
    expect(badFormat.status).toBe(400);
  });

  it('never upscales: a wider request gets the original width', async () => {
    const res = await get(`/api/v1/media/${photoId}?w=1600`, { accept: 'image/webp' });
    expect(res.headers['content-type']).toBe('image/webp');
    expect((await sharp(res.body).metadata()).width).toBe(400);
  });

  it('renders a new width once and stores it', async () => {
    const count = async () =>
      (
        await media.sql<{ n: number }>(
          'SELECT count(*)::int AS n FROM media_files WHERE media_id = $1',
          [photoId],
        )
      )[0]!.n;
    const before = await count();
    const [a, b] = await Promise.all([
      get(`/api/v1/media/${photoId}?w=640&format=webp`),
      get(`/api/v1/media/${photoId}?w=640&format=webp`),
    ]);
    expect(a.headers.etag).toBe(b.headers.etag);
    expect(await count()).toBe(before); // 640 collapses onto the stored 400 px WebP
    await get(`/api/v1/media/${photoId}?w=320&format=jpeg`);
    const after = await count();
    await get(`/api/v1/media/${photoId}?w=320&format=jpeg`);
    expect(await count()).toBe(after);
  });

  it('answers with immutable caching, a strong ETag and 304 on revalidation', async () => {
    const first = await get(`/api/v1/media/${photoId}?w=320`, { accept: 'image/webp' });
    expect(first.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(first.headers.etag).toMatch(/^"[\w-]{43}"$/);
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    const again = await get(`/api/v1/media/${photoId}?w=320`, {
      accept: 'image/webp',
      'if-none-match': first.headers.etag!,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(first.headers.etag);
  });

  it('answers HEAD with the headers and length of GET and no body', async () => {
    const full = await get(`/api/v1/media/${photoId}`);
    const head = await media.http().head(`/api/v1/media/${photoId}`).set(identity());
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(full.body.length));
    expect(head.headers.etag).toBe(full.headers.etag);
    expect(head.text ?? '').toBe('');
  });

  it('serves byte ranges of originals (206) and refuses ranges past the end (416)', async () => {
    const full = await get(`/api/v1/media/${photoId}`);
    expect(full.headers['accept-ranges']).toBe('bytes');
    const part = await get(`/api/v1/media/${photoId}`, { range: 'bytes=0-9' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-9/${full.body.length}`);
    expect([...part.body]).toEqual([...full.body].slice(0, 10));
    const tail = await get(`/api/v1/media/${photoId}`, { range: 'bytes=-4' });
    expect([...tail.body]).toEqual([...full.body].slice(-4));
    const past = await get(`/api/v1/media/${photoId}`, { range: `bytes=${full.body.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${full.body.length}`);
  });

  it('keeps transparency: PNG stays PNG for clients without AVIF/WebP', async () => {
    const res = await upload(await pngWithAlpha(), 'logo.png');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ contentType: 'image/png', width: 500, height: 300 });
    const png = await get(`/api/v1/media/${res.body.id}?w=320`, { accept: '*/*' });
    expect(png.headers['content-type']).toBe('image/png');
    const meta = await sharp(png.body).metadata();
    expect([meta.width, meta.hasAlpha]).toEqual([320, true]);
    const webp = await get(`/api/v1/media/${res.body.id}?w=320`, { accept: 'image/webp' });
    expect((await sharp(webp.body).metadata()).hasAlpha).toBe(true);
    // Asked for JPEG, transparency becomes white, not black.
    const jpeg = await get(`/api/v1/media/${res.body.id}?w=320&format=jpeg`);
    const { data } = await sharp(jpeg.body).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(data.length - 3)]).toEqual([255, 255, 255]);
  });

  it('detects the type from the bytes: a PNG named .jpg is a PNG', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#0f0' } })
      .png()
      .toBuffer();
    const res = await upload(png, 'holiday.jpg');
    expect(res.status).toBe(201);
    expect(res.body.contentType).toBe('image/png');
  });

  it('keeps animations animated', async () => {
    const res = await upload(await animatedGif(4), 'dance.gif');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      contentType: 'image/gif',
      width: 64,
      height: 48,
      animated: true,
    });
    const webp = await get(`/api/v1/media/${res.body.id}?w=320&format=webp`);
    expect(webp.headers['content-type']).toBe('image/webp');
    expect((await sharp(webp.body, { pages: -1 }).metadata()).pages).toBe(4);
    // Negotiated, the tiny GIF beats its WebP copy in bytes, so the original is sent.
    const negotiated = await get(`/api/v1/media/${res.body.id}?w=320`, { accept: 'image/webp' });
    expect(negotiated.headers['content-type']).toBe('image/gif');
    expect(negotiated.headers.vary).toBe('Accept');
    const original = await get(`/api/v1/media/${res.body.id}`);
    expect((await sharp(original.body).metadata()).pages).toBe(4);
  });

  it('refuses what is not an accepted image, cleanly', async () => {
    const svg = await upload(
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      'x.svg',
    );
    expect([svg.status, svg.body.error.code]).toEqual([415, 'svg_refused']);
    const zip = await upload(zipBytes(), 'IMG_0001.heic');
    expect([zip.status, zip.body.error.code]).toEqual([415, 'unsupported_type']);
    const jpeg = await plainJpeg(300, 200, 3);
    const truncated = await upload(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'cut.jpg');
    expect([truncated.status, truncated.body.error.code]).toEqual([422, 'corrupt_image']);
    const garbage = Buffer.concat([jpeg.subarray(0, 20), Buffer.alloc(2000, 0x42)]);
    expect((await upload(garbage, 'junk.jpg')).status).toBe(422);
    const noFile = await media.http().post('/api/v1/media').set(identity()).field('name', 'x');
    expect(noFile.status).toBe(400);
    const json = await media.http().post('/api/v1/media').set(identity()).send({ file: 'x' });
    expect(json.status).toBe(415);
    const stillWorks = await upload(await plainJpeg(120, 80, 4), 'after.jpg');
    expect(stillWorks.status).toBe(201);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    const unknown = await media.http().get('/api/v1/media/AAAA').set(identity());
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'media_not_found']);
    const weird = await media.http().get('/api/v1/media/%2E%2E%2Fetc/meta').set(identity());
    expect(weird.status).toBe(404);
  });

  it('publishes the metrics docs/metrics.md promises', async () => {
    const text = await media.metricsText();
    for (const series of [
      /^lateral_media_queue_depth\{service="media"\} 0$/m,
      /^lateral_media_queue_capacity\{service="media"\} 16$/m,
      /^lateral_media_in_flight\{service="media"\} 0$/m,
      /^lateral_media_images_processed_total\{input_format="jpeg",output_format="avif",service="media"\} 1$/m,
      /^lateral_media_decode_duration_seconds_count\{service="media",format="jpeg"\} [1-9]/m,
      /^lateral_media_encode_duration_seconds_count\{service="media",format="webp"\} [1-9]/m,
      /^lateral_media_bytes_in_total\{service="media"\} [1-9]/m,
      /^lateral_media_bytes_out_total\{service="media"\} [1-9]/m,
      /^lateral_media_rejections_total\{reason="unsupported_type",service="media"\} 2$/m,
      /^lateral_media_rejections_total\{reason="corrupt",service="media"\} 2$/m,
      /^lateral_db_pool_connections\{state="in_use",service="media"\} \d+$/m,
      /^lateral_db_pool_waiting_requests\{service="media"\} 0$/m,
      /^lateral_db_pool_max_connections\{service="media"\} 5$/m,
    ]) {
      expect(text).toMatch(series);
    }
  });
});
