import { execFile } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

/** A fast deterministic PRNG (mulberry32): the same fixture on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A photo-like 8-bit RGB image: smooth gradients with sensor-like noise, so encoders work about
 * as hard as on a real photo (pure gradients compress unrealistically well).
 */
export function photoPixels(width: number, height: number, seed = 1): Buffer {
  const random = prng(seed);
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const noise = (random() - 0.5) * 16;
      pixels[i] = Math.max(0, Math.min(255, (x / width) * 200 + 30 + noise));
      pixels[i + 1] = Math.max(0, Math.min(255, (y / height) * 180 + 40 + noise));
      pixels[i + 2] = Math.max(0, Math.min(255, ((x + y) / (width + height)) * 220 + noise));
    }
  }
  return pixels;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export interface BenchFixtures {
  jpeg12: Buffer;
  heic12: Buffer;
  heicPath: string;
}

/** 12 MP (4000x3000) JPEG and HEIC, cached under apps/media/.cache/bench (gitignored). */
export async function benchFixtures(cacheDir: string): Promise<BenchFixtures> {
  await mkdir(cacheDir, { recursive: true });
  const jpegPath = join(cacheDir, 'photo-12mp.jpg');
  const pngPath = join(cacheDir, 'photo-12mp.png');
  const heicPath = join(cacheDir, 'photo-12mp.heic');
  if (!(await exists(jpegPath)) || !(await exists(heicPath))) {
    const raw = { width: 4000, height: 3000, channels: 3 as const };
    const pixels = photoPixels(raw.width, raw.height);
    await writeFile(jpegPath, await sharp(pixels, { raw }).jpeg({ quality: 92 }).toBuffer());
    await writeFile(pngPath, await sharp(pixels, { raw }).png({ compressionLevel: 1 }).toBuffer());
    // Like an iPhone photo: HEVC at a moderate quality (x265's fast preset keeps setup short).
    await run('heif-enc', ['-q', '50', '-p', 'preset=fast', '-o', heicPath, pngPath]);
  }
  return { jpeg12: await readFile(jpegPath), heic12: await readFile(heicPath), heicPath };
}

/** The same JPEG with a different COM segment: new bytes (no dedup), the same pixels. */
export function distinctJpeg(jpeg: Buffer, n: number): Buffer {
  const text = Buffer.from(`bench ${n} ${Date.now()}`);
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), segment, text, jpeg.subarray(2)]);
}

/** The same HEIC with a trailing `free` box (ISO-BMFF padding readers skip): new bytes. */
export function distinctHeic(heic: Buffer, n: number): Buffer {
  const text = Buffer.from(`bench ${n} ${Date.now()}`);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(text.length + 8, 0);
  header.write('free', 4, 'latin1');
  return Buffer.concat([heic, header, text]);
}
