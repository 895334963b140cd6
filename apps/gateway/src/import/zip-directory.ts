import { GatewayException } from '../errors/gateway-errors.js';

/** One record of a zip's central directory, as declared (nothing here is trusted yet). */
export interface ZipEntry {
  name: string;
  directory: boolean;
  encrypted: boolean;
  /** 0 = stored, 8 = deflate; anything else is refused when the entry is read. */
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const MAX_U16 = 0xffff;
const MAX_U32 = 0xffffffff;

export function invalidArchive(message: string): GatewayException {
  return new GatewayException('import_invalid', message);
}

const unreadable = () => invalidArchive('The file is not a readable zip archive.');

/**
 * Lists the central directory, stopping with `import_too_large` as soon as it holds more than
 * `maxEntries` records: every record counts (directories and files that are not imported too),
 * and the work is bounded by the limit, not by what the archive declares.
 */
export function listZipEntries(data: Uint8Array, maxEntries: number): ZipEntry[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const { offset, end } = centralDirectory(buf);
  const entries: ZipEntry[] = [];
  const utf8 = new TextDecoder('utf-8');
  const latin1 = new TextDecoder('latin1');
  let pos = offset;
  while (pos < end) {
    if (pos + 46 > buf.length || buf.readUInt32LE(pos) !== CENTRAL_ENTRY) throw unreadable();
    if (entries.length >= maxEntries) {
      throw new GatewayException('import_too_large', 'The archive has too many files to import.');
    }
    const flags = buf.readUInt16LE(pos + 8);
    const nameLength = buf.readUInt16LE(pos + 28);
    const extraLength = buf.readUInt16LE(pos + 30);
    const commentLength = buf.readUInt16LE(pos + 32);
    const next = pos + 46 + nameLength + extraLength + commentLength;
    if (next > buf.length) throw unreadable();
    const rawName = buf.subarray(pos + 46, pos + 46 + nameLength);
    // Bit 11: the name is UTF-8; older tools write CP437, read as latin1 like fflate does.
    const name = (flags & 0x800 ? utf8 : latin1).decode(rawName);
    const sizes = {
      declaredSize: buf.readUInt32LE(pos + 24),
      compressedSize: buf.readUInt32LE(pos + 20),
      localHeaderOffset: buf.readUInt32LE(pos + 42),
    };
    readZip64Extra(buf.subarray(pos + 46 + nameLength, pos + 46 + nameLength + extraLength), sizes);
    entries.push({
      name,
      directory: name.endsWith('/'),
      encrypted: (flags & 1) !== 0,
      method: buf.readUInt16LE(pos + 10),
      ...sizes,
    });
    pos = next;
  }
  return entries;
}

/** The entry's compressed bytes, found through its local header (whose sizes we ignore). */
export function entryData(data: Uint8Array, entry: ZipEntry): Uint8Array {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL_HEADER) throw unreadable();
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) throw unreadable();
  return data.subarray(start, end);
}

function centralDirectory(buf: Buffer): { offset: number; end: number } {
  // The end record is the last 22 bytes plus a comment of up to 64 KiB.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - MAX_U16); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw unreadable();
  let size = buf.readUInt32LE(eocd + 12);
  let offset = buf.readUInt32LE(eocd + 16);
  if ((size === MAX_U32 || offset === MAX_U32) && eocd >= 20) {
    const locator = eocd - 20;
    if (buf.readUInt32LE(locator) !== ZIP64_LOCATOR) throw unreadable();
    const record = safeNumber(buf.readBigUInt64LE(locator + 8));
    if (record + 56 > buf.length || buf.readUInt32LE(record) !== ZIP64_EOCD) throw unreadable();
    size = safeNumber(buf.readBigUInt64LE(record + 40));
    offset = safeNumber(buf.readBigUInt64LE(record + 48));
  }
  const end = offset + size;
  if (end > buf.length) throw unreadable();
  return { offset, end };
}

/** Zip64 extra field (0x0001): 8-byte values for each 32-bit field that reads 0xFFFFFFFF. */
function readZip64Extra(
  extra: Buffer,
  sizes: { declaredSize: number; compressedSize: number; localHeaderOffset: number },
): void {
  for (let pos = 0; pos + 4 <= extra.length;) {
    const id = extra.readUInt16LE(pos);
    const length = extra.readUInt16LE(pos + 2);
    if (id === 0x0001) {
      let field = pos + 4;
      for (const key of ['declaredSize', 'compressedSize', 'localHeaderOffset'] as const) {
        if (sizes[key] !== MAX_U32) continue;
        if (field + 8 > pos + 4 + length || field + 8 > extra.length) throw unreadable();
        sizes[key] = safeNumber(extra.readBigUInt64LE(field));
        field += 8;
      }
      return;
    }
    pos += 4 + length;
  }
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw unreadable();
  return Number(value);
}
