import { monitorEventLoopDelay } from 'node:perf_hooks';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ImageProcessor } from '../src/images/image-processor.js';
import { cornerColours, halves, heicFrom } from './fixtures.js';
import { binary, identity, startMedia, type MediaHarness } from './media-harness.js';

/** The stored original of a `halves()` upload: red on top, blue below, as decoded. */
async function expectRedOverBlue(media: MediaHarness, id: string): Promise<void> {
  const original = await media
    .http()
    .get(`/api/v1/media/${id}`)
    .set(identity())
    .buffer(true)
    .parse(binary);
  const pixels = await cornerColours(original.body as Buffer);
  expect(pixels.top[0]).toBeGreaterThan(180);
  expect(pixels.bottom[2]).toBeGreaterThan(180);
}

describe('HEIC uploads through the WebAssembly pool (forced by config)', () => {
  let media: MediaHarness;
  let small: Buffer;
  let large: Buffer;

  const heicDecodeSeconds = async () => {
    const metric = media.metrics.registry.getSingleMetric('lateral_media_decode_duration_seconds');
    const values = (await metric?.get())?.values ?? [];
    return (
      values.find(
        (v) =>
          (v as { metricName?: string }).metricName ===
            'lateral_media_decode_duration_seconds_sum' && v.labels.format === 'heic',
      )?.value ?? 0
    );
  };

  const upload = (file: Buffer, filename = 'IMG_0001.HEIC') =>
    media.http().post('/api/v1/media').set(identity()).attach('file', file, filename);

  beforeAll(async () => {
    media = await startMedia(inject('postgresAdminUrl'), {
      MEDIA_HEIC_RECYCLE_AFTER: '1',
      MEDIA_HEIC_DECODER: 'wasm',
    });
    [small, large] = await Promise.all([
      halves(640, 480).then(heicFrom),
      halves(1600, 1200, 50).then(heicFrom),
    ]);
  });
  afterAll(() => media?.close());

  it('decodes HEIC and serves it as a JPEG browsers can show', async () => {
    const res = await upload(small);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ contentType: 'image/jpeg', width: 640, height: 480 });
    const rows = await media.sql('SELECT input_format, has_alpha FROM media_items WHERE id = $1', [
      res.body.id,
    ]);
    expect(rows).toEqual([{ input_format: 'heic', has_alpha: false }]);

    await expectRedOverBlue(media, String(res.body.id));
    const webp = await media
      .http()
      .get(`/api/v1/media/${String(res.body.id)}?w=320`)
      .set(identity())
      .set('accept', 'image/webp')
      .buffer(true)
      .parse(binary);
    expect((await sharp(webp.body as Buffer).metadata()).width).toBe(320);
  });

  it('decodes off the event loop and recycles workers after MEDIA_HEIC_RECYCLE_AFTER images', async () => {
    const processor = media.app.get(ImageProcessor);
    const startedBefore = processor.heicWorkersStarted;
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const decodeBefore = await heicDecodeSeconds();
    const res = await upload(large);
    delay.disable();
    const decodeMs = ((await heicDecodeSeconds()) - decodeBefore) * 1000;
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ width: 1600, height: 1200 });
    // On the event loop, the loop would have stalled for the whole decode.
    expect(decodeMs).toBeGreaterThan(100);
    expect(delay.max / 1e6).toBeLessThan(decodeMs / 2);
    expect(processor.heicWorkersStarted).toBe(startedBefore + 1);
    expect(await media.metricsText()).toMatch(
      /lateral_media_decode_duration_seconds_count\{service="media",format="heic"\} 2/,
    );
  });

  it('refuses a truncated HEIC with 422 and keeps decoding the next one', async () => {
    const truncated = await upload(large.subarray(0, Math.floor(large.length / 3)));
    expect(truncated.status).toBe(422);
    expect(truncated.body.error.code).toBe('corrupt_image');
    const next = await upload(await heicFrom(await halves(320, 240, 99)));
    expect(next.status).toBe(201);
  });
});

// The machine that runs the tests has Debian's libheif-examples (heif-enc makes the fixtures).
describe('HEIC uploads through native libheif (heif-convert)', () => {
  let media: MediaHarness;

  const upload = (file: Buffer, filename = 'IMG_0002.HEIC') =>
    media.http().post('/api/v1/media').set(identity()).attach('file', file, filename);

  beforeAll(async () => {
    media = await startMedia(inject('postgresAdminUrl'), { MEDIA_HEIC_DECODER: 'native' });
  });
  afterAll(() => media?.close());

  it('decodes natively, says so in the metrics, and starts no WebAssembly worker', async () => {
    const processor = media.app.get(ImageProcessor);
    expect(processor.heicDecoder).toBe('native');
    const res = await upload(await heicFrom(await halves(640, 480, 7)));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ contentType: 'image/jpeg', width: 640, height: 480 });
    await expectRedOverBlue(media, String(res.body.id));
    const text = await media.metricsText();
    expect(text).toMatch(/lateral_media_heic_decoder_info\{decoder="native",service="media"\} 1/);
    expect(text).toMatch(/lateral_media_heic_decodes_total\{decoder="native",service="media"\} 1/);
    expect(processor.heicWorkersStarted).toBe(0);
  });

  it('refuses a truncated HEIC with 422 corrupt_image', async () => {
    const heic = await heicFrom(await halves(800, 600, 8));
    const truncated = await upload(heic.subarray(0, Math.floor(heic.length / 3)));
    expect(truncated.status).toBe(422);
    expect(truncated.body.error.code).toBe('corrupt_image');
  });

  it('refuses to start with MEDIA_HEIC_DECODER=native when the decoder is missing', async () => {
    await expect(
      startMedia(inject('postgresAdminUrl'), {
        MEDIA_HEIC_DECODER: 'native',
        MEDIA_HEIC_DECODER_COMMAND: 'no-such-heif-decoder',
      }),
    ).rejects.toThrow(/MEDIA_HEIC_DECODER=native, but no-such-heif-decoder did not run/);
  });

  it('falls back to the WebAssembly pool under auto when the decoder is missing', async () => {
    const fallback = await startMedia(
      inject('postgresAdminUrl'),
      { MEDIA_HEIC_DECODER_COMMAND: 'no-such-heif-decoder' },
      { db: media.db },
    );
    try {
      expect(fallback.app.get(ImageProcessor).heicDecoder).toBe('wasm');
      expect(await fallback.metricsText()).toMatch(
        /lateral_media_heic_decoder_info\{decoder="wasm",service="media"\} 1/,
      );
    } finally {
      await fallback.close();
    }
  });
});
