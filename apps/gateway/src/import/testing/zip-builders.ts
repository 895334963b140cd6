/** Test builders: zips for the import tests (unit and e2e), hostile ones included. */
import { constants, crc32, deflateRawSync } from 'node:zlib';

const MiB = 2 ** 20;

/** 1 MiB of zeros as self-contained, non-final deflate blocks (a full flush ends them). */
const ZEROS_BLOCK = deflateRawSync(new Uint8Array(MiB), { finishFlush: constants.Z_FULL_FLUSH });
const ZEROS_CRC = new Map<number, number>();
/** An empty final deflate block: ends a stream of repeated ZEROS_BLOCKs. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * A zip whose entries are the given bytes (stored) or a number of zeros (deflated), e.g.
 * `{ 'big.png': 40 * MiB }`: 200 MiB of zeros zip to ~200 KB. The zeros are never held in
 * memory: each MiB's deflate blocks are repeated, so even big bombs build in milliseconds.
 */
export function bombZip(entries: Record<string, number | Uint8Array>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const fileName = Buffer.from(name);
    const zeros = typeof content === 'number';
    if (zeros && content % MiB !== 0) throw new Error('zeros come in whole MiB');
    const data = zeros
      ? Buffer.concat([...Array<Buffer>(content / MiB).fill(ZEROS_BLOCK), FINAL_BLOCK])
      : Buffer.from(content);
    const size = zeros ? content : content.length;
    const crc = zeros ? zerosCrc(content) : crc32(content);
    const header = (central: boolean) => {
      const h = Buffer.alloc(central ? 46 : 30);
      h.writeUInt32LE(central ? 0x02014b50 : 0x04034b50, 0);
      if (central) h.writeUInt16LE(20, 4); // version made by
      // From "version needed" on, the central record's fields sit 2 bytes further along.
      const at = central ? 6 : 4;
      h.writeUInt16LE(20, at); // version needed
      h.writeUInt16LE(0x800, at + 2); // UTF-8 names
      h.writeUInt16LE(zeros ? 8 : 0, at + 4);
      h.writeUInt32LE(crc, at + 10);
      h.writeUInt32LE(data.length, at + 14);
      h.writeUInt32LE(size, at + 18);
      h.writeUInt16LE(fileName.length, at + 22);
      if (central) h.writeUInt32LE(offset, 42);
      return Buffer.concat([h, fileName]);
    };
    centrals.push(header(true));
    const local = Buffer.concat([header(false), data]);
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length, 8);
  end.writeUInt16LE(centrals.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function zerosCrc(bytes: number): number {
  let crc = ZEROS_CRC.get(bytes);
  if (crc === undefined) {
    const block = new Uint8Array(MiB);
    crc = 0;
    for (let left = bytes; left > 0; left -= MiB) crc = crc32(block, crc);
    ZEROS_CRC.set(bytes, crc);
  }
  return crc;
}

/**
 * Rewrites the uncompressed size the headers declare for `name` (the central directory, and
 * the local header when it carries sizes): a header that lies.
 */
export function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const copy = new Uint8Array(zip);
  const view = new DataView(copy.buffer);
  const wanted = Buffer.from(name);
  for (let i = copy.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(i + 28, true);
    if (!wanted.equals(copy.subarray(i + 46, i + 46 + nameLength))) continue;
    view.setUint32(i + 24, size, true);
    const local = view.getUint32(i + 42, true);
    if (view.getUint32(local + 22, true) !== 0) view.setUint32(local + 22, size, true);
    return copy;
  }
  throw new Error(`no central directory entry for ${name}`);
}
