import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

const run = promisify(execFile);

/**
 * Builders for test images, made with sharp at test time (no binary blobs in git). Colours are
 * solid blocks so the tests can tell orientation from pixels.
 */
export const RED = { r: 255, g: 0, b: 0 };
export const BLUE = { r: 0, g: 0, b: 255 };

/**
 * A landscape 600x400 JPEG whose left half is red, tagged EXIF orientation 6 (rotate 90° CW),
 * with camera, time and GPS (the Eiffel Tower). Shown upright it is 400x600, red on top.
 */
export async function photoWithExif(options: { seed?: number } = {}): Promise<Buffer> {
  const left = await sharp({ create: { width: 300, height: 400, channels: 3, background: RED } })
    .png()
    .toBuffer();
  const seedDot = await sharp({
    create: { width: 2, height: 2, channels: 3, background: { r: options.seed ?? 7, g: 9, b: 9 } },
  })
    .png()
    .toBuffer();
  return sharp({ create: { width: 600, height: 400, channels: 3, background: BLUE } })
    .composite([
      { input: left, left: 0, top: 0 },
      { input: seedDot, left: 598, top: 398 },
    ])
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'Apple', Model: 'iPhone 13' },
      IFD2: { DateTimeOriginal: '2024:05:06 07:08:09', OffsetTimeOriginal: '+02:00' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 2960/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 17/1 4020/100',
      },
    })
    .toBuffer();
}

/** A plain JPEG of the given size (a smooth gradient, like a photo of the sky). */
export async function plainJpeg(width: number, height: number, seed = 0): Promise<Buffer> {
  const gradient = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      gradient[i] = (x * 255) / width;
      gradient[i + 1] = (y * 255) / height;
      gradient[i + 2] = (seed * 37) % 256;
    }
  }
  return sharp(gradient, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** 500x300, left half opaque red, right half fully transparent. */
export async function pngWithAlpha(): Promise<Buffer> {
  const half = await sharp({
    create: { width: 250, height: 300, channels: 4, background: { ...RED, alpha: 1 } },
  })
    .png()
    .toBuffer();
  return sharp({
    create: { width: 500, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .composite([{ input: half, left: 0, top: 0 }])
    .png()
    .toBuffer();
}

/** An animated GIF of `frames` 64x48 frames in changing colours. */
export async function animatedGif(frames: number): Promise<Buffer> {
  const images = await Promise.all(
    Array.from({ length: frames }, (_, i) =>
      sharp({
        create: {
          width: 64,
          height: 48,
          channels: 3,
          background: { r: (i * 40) % 256, g: 128, b: 255 - ((i * 40) % 256) },
        },
      })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(images, { join: { animated: true } })
    .gif({ delay: 100 })
    .toBuffer();
}

/**
 * A decompression bomb: a valid PNG header claiming 20000x20000 pixels (1.2 GB decoded) with a
 * few KiB of deflated zero rows behind it. Only the header is needed to refuse it; a decoder
 * that did not check first would allocate the lot.
 */
export function pixelBomb(width = 20000, height = 20000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = deflateSync(Buffer.alloc((width * 3 + 1) * 64), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A zip archive's first bytes (what a `.zip` renamed `.heic` starts with). */
export function zipBytes(): Buffer {
  return Buffer.concat([
    Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]),
    Buffer.alloc(200, 1),
  ]);
}

/**
 * A real HEVC HEIC made by Debian's `heif-enc` (libheif-examples; installed in CI by
 * scripts/ci/install-system-deps.sh). Its absence fails the test: HEIC is a core format.
 */
export async function heicFrom(png: Buffer): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'media-heic-'));
  try {
    await writeFile(join(dir, 'in.png'), png);
    await run('heif-enc', [
      '-q',
      '60',
      // x265's fastest preset: the test needs a real HEVC file, not a good one.
      '-p',
      'preset=ultrafast',
      '-o',
      join(dir, 'out.heic'),
      join(dir, 'in.png'),
    ]);
    return await readFile(join(dir, 'out.heic'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A PNG whose top half is red and bottom half blue, with a horizontal green ramp. */
export async function halves(width: number, height: number, seed = 0): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const top = y < height / 2;
      pixels[i] = top ? 230 : 20;
      pixels[i + 1] = ((x * 255) / width + seed) % 256;
      pixels[i + 2] = top ? 20 : 230;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A PNG of random pixels: nothing to predict, so every decoder does its full work on it. */
export async function noise(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/** The top-left and bottom-left pixels of an image, as RGB. */
export async function cornerColours(
  image: Buffer,
): Promise<{ top: number[]; bottom: number[]; width: number; height: number }> {
  const { data, info } = await sharp(image)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => {
    const i = (y * info.width + x) * info.channels;
    return [data[i]!, data[i + 1]!, data[i + 2]!];
  };
  return { top: at(5, 5), bottom: at(5, info.height - 5), width: info.width, height: info.height };
}
