import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeicDecodeError, HeicPool } from '../src/images/heic/heic-pool.js';
import { NativeHeicDecoder } from '../src/images/heic/native-heic.js';
import { halves, heicFrom, noise } from './fixtures.js';

const run = promisify(execFile);

// The machine that runs the tests has Debian's libheif-examples (heif-enc makes the fixtures).
describe('NativeHeicDecoder (heif-convert as a sandboxed child process)', () => {
  let heic: Buffer;
  let tempDir: string;
  const wasm = new HeicPool({ size: 1, recycleAfter: 100 });
  const decoder = (options: Partial<ConstructorParameters<typeof NativeHeicDecoder>[0]> = {}) =>
    new NativeHeicDecoder({
      binary: 'heif-convert',
      tempDir,
      memoryBytes: 1024 * 1024 * 1024,
      timeoutMs: 30_000,
      maxPixels: 50_000_000,
      ...options,
    });

  beforeAll(async () => {
    heic = await heicFrom(await halves(480, 360));
    tempDir = await mkdtemp(join(tmpdir(), 'media-heic-native-test-'));
  });
  afterAll(async () => {
    await wasm.close();
    await rm(tempDir, { recursive: true, force: true });
  });

  it('is found at start-up here, and not for a missing command or an unwritable directory', async () => {
    const found = await NativeHeicDecoder.probe({ binary: 'heif-convert', tempDir });
    expect(found.available).toBe(true);
    expect(found.detail).toMatch(/libde265/);
    const missing = await NativeHeicDecoder.probe({ binary: 'no-such-heif-decoder', tempDir });
    expect(missing).toMatchObject({ available: false });
    expect(missing.detail).toMatch(/no-such-heif-decoder did not run/);
    const readOnly = await NativeHeicDecoder.probe({ binary: 'heif-convert', tempDir: '/proc' });
    expect(readOnly).toMatchObject({
      available: false,
      detail: expect.stringMatching(/not writable/),
    });
  });

  it('decodes to the pixels the WebAssembly decoder gives, and leaves no files behind', async () => {
    const native = await decoder().decode(heic);
    expect([native.width, native.height, native.channels]).toEqual([480, 360, 3]);
    const reference = await wasm.decode(heic);
    let total = 0;
    for (let p = 0; p < native.width * native.height; p++)
      for (let c = 0; c < 3; c++)
        total += Math.abs(native.data[p * 3 + c]! - reference.data[p * 4 + c]!);
    // The JPEG hand-over at quality 95 costs well under one level on average.
    expect(total / (native.width * native.height * 3)).toBeLessThan(1.5);
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('takes the first image of a file with several (a burst), as the WebAssembly decoder does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'media-heic-two-'));
    try {
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#f00' } })
        .png()
        .toFile(join(dir, 'a.png'));
      await sharp({ create: { width: 32, height: 24, channels: 3, background: '#00f' } })
        .png()
        .toFile(join(dir, 'b.png'));
      await run('heif-enc', [
        '-q',
        '60',
        '-o',
        join(dir, 'two.heic'),
        join(dir, 'a.png'),
        join(dir, 'b.png'),
      ]);
      const two = await readFile(join(dir, 'two.heic'));
      const native = await decoder().decode(two);
      const reference = await wasm.decode(two);
      expect([native.width, native.height]).toEqual([reference.width, reference.height]);
      expect([native.width, native.data[0]! > 200, native.data[2]! < 50]).toEqual([64, true, true]);
      expect(await readdir(tempDir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses bytes that are not HEIC as HeicDecodeError', async () => {
    await expect(decoder().decode(heic.subarray(0, heic.length / 3))).rejects.toBeInstanceOf(
      HeicDecodeError,
    );
    await expect(decoder().decode(Buffer.from('not a heic'))).rejects.toBeInstanceOf(
      HeicDecodeError,
    );
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('runs under the memory limit: a decoder that needs more fails instead of growing', async () => {
    const big = await heicFrom(await halves(2000, 1500, 3));
    expect((await decoder().decode(big)).width).toBe(2000);
    await expect(decoder({ memoryBytes: 48 * 1024 * 1024 }).decode(big)).rejects.toBeInstanceOf(
      HeicDecodeError,
    );
  });

  it('stops the decoder when the job is aborted, and cleans up', async () => {
    // Noise decodes for ~0.3 s here (a smooth 3 MP photo for ~0.1 s, too close to the abort).
    const big = await heicFrom(await noise(2000, 1500));
    const controller = new AbortController();
    const started = performance.now();
    const decoding = decoder().decode(big, controller.signal);
    setTimeout(() => controller.abort(new Error('budget spent')), 20);
    await expect(decoding).rejects.toThrow('budget spent');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await readdir(tempDir)).toEqual([]);
  });
});
