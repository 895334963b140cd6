import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';

const run = promisify(execFile);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A photo-like landscape (sky, sun, hills) as an RGB PNG, drawn in code so no binary fixture
 * is committed. Gradients keep it realistic for encoders and for the ThumbHash.
 */
export function landscapePng(width: number, height: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const hill = 0.62 + 0.08 * Math.sin(u * 7.1) + 0.05 * Math.sin(u * 17.3 + 1);
      const sun = Math.hypot(((u - 0.72) * width) / height, v - 0.28) < 0.08;
      let r: number, g: number, b: number;
      if (sun) [r, g, b] = [255, 244, 210];
      else if (v > hill) [r, g, b] = [48 + 30 * v, 92 + 40 * (1 - v), 60];
      else [r, g, b] = [110 + 120 * v, 150 + 70 * v, 225 - 40 * v];
      const noise = ((x * 7919 + y * 104729) % 13) - 6;
      row[1 + x * 3] = Math.max(0, Math.min(255, r + noise));
      row[2 + x * 3] = Math.max(0, Math.min(255, g + noise));
      row[3 + x * 3] = Math.max(0, Math.min(255, b + noise));
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real iPhone-style HEIC, encoded by Debian's `heif-enc` (libheif-examples). */
export async function landscapeHeic(width: number, height: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'lateral-heic-'));
  try {
    await writeFile(join(dir, 'in.png'), landscapePng(width, height));
    await run('heif-enc', ['-q', '60', '-o', join(dir, 'out.heic'), join(dir, 'in.png')]);
    return await readFile(join(dir, 'out.heic'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
