import { createInflateRaw } from 'node:zlib';
import { GatewayException } from '../errors/gateway-errors.js';
import { entryData, invalidArchive, listZipEntries, type ZipEntry } from './zip-directory.js';

export interface ArchiveLimits {
  /** Bytes all extracted files (nested zips included) may add up to, as actually inflated. */
  maxUncompressedBytes: number;
  /** Entries of every kind, nested zips' included. */
  maxFiles: number;
  /** Wall-clock budget for unpacking the whole archive. */
  timeoutMs: number;
}

export interface ArchiveFile {
  /** Normalised, relative, `/`-separated path inside the archive. */
  path: string;
  data: Uint8Array;
}

export interface ArchiveContents {
  files: ArchiveFile[];
  /** Selected files left out because they are larger than the selector allows. */
  oversized: { path: string; bytes: number; maxBytes: number }[];
}

/** How many bytes the file at `path` may have to be extracted; `undefined` leaves it out. */
export type ArchiveSelector = (path: string) => number | undefined;

/**
 * A path from an archive, made safe: `\` separators become `/`, and absolute paths, drive
 * letters, `..` segments and control characters are refused (we never write to disk, but
 * paths are used to resolve links between pages).
 */
export function normaliseArchivePath(name: string): string | undefined {
  const path = name.replace(/\\/g, '/');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(path) || path.startsWith('/') || /^[a-z]:/i.test(path)) {
    return undefined;
  }
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return undefined;
  return segments.join('/');
}

interface Budget {
  bytes: number;
  files: number;
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * Extracts the files `select` picks, bounded by what is actually inflated: an entry must
 * inflate to exactly the size its header declares (inflating stops one chunk past it), the
 * declared sizes must fit the byte budget, and every entry counts against the file limit.
 * Inflating runs in zlib on libuv's thread pool, never on the event loop, and stops when the
 * time budget runs out. Zips inside the zip (Notion splits big exports into parts) are
 * opened one level deep with the same budget.
 */
export async function readZip(
  data: Uint8Array,
  limits: ArchiveLimits,
  select: ArchiveSelector,
): Promise<ArchiveContents> {
  const budget: Budget = {
    bytes: limits.maxUncompressedBytes,
    files: limits.maxFiles,
    signal: AbortSignal.timeout(limits.timeoutMs),
    timeoutMs: limits.timeoutMs,
  };
  const contents: ArchiveContents = { files: [], oversized: [] };
  await extract(data, 0, budget, select, contents);
  return contents;
}

async function extract(
  data: Uint8Array,
  depth: number,
  budget: Budget,
  select: ArchiveSelector,
  contents: ArchiveContents,
): Promise<void> {
  const entries = listZipEntries(data, budget.files);
  budget.files -= entries.length;
  const picked: { entry: ZipEntry; path: string; nested: boolean }[] = [];
  let declared = 0;
  for (const entry of entries) {
    if (entry.directory) continue;
    const path = normaliseArchivePath(entry.name);
    if (path === undefined) throw invalidArchive(`The archive has an unsafe path: ${entry.name}`);
    const nested = depth === 0 && path.toLowerCase().endsWith('.zip');
    const maxBytes = nested ? Infinity : select(path);
    if (maxBytes === undefined) continue;
    if (entry.declaredSize > maxBytes) {
      contents.oversized.push({ path, bytes: entry.declaredSize, maxBytes });
      continue;
    }
    declared += entry.declaredSize;
    picked.push({ entry, path, nested });
  }
  // Refused before inflating anything; inflating then holds every entry to its declared size.
  if (declared > budget.bytes) throw tooLarge('too much data once uncompressed');
  for (const { entry, path, nested } of picked) {
    const content = await readEntry(data, entry, path, budget);
    budget.bytes -= content.length;
    if (nested) await extract(content, depth + 1, budget, select, contents);
    else contents.files.push({ path, data: content });
  }
}

async function readEntry(
  data: Uint8Array,
  entry: ZipEntry,
  path: string,
  budget: Budget,
): Promise<Uint8Array> {
  if (entry.encrypted) throw invalidArchive(`${path} is encrypted.`);
  if (entry.declaredSize > budget.bytes) throw tooLarge('too much data once uncompressed');
  const raw = entryData(data, entry);
  if (entry.method === 0) {
    if (raw.length !== entry.declaredSize) throw sizeLie(path);
    return raw;
  }
  if (entry.method !== 8) throw invalidArchive(`${path} uses a compression method we cannot read.`);
  return inflateExactly(raw, entry.declaredSize, path, budget);
}

/**
 * Inflates into a buffer of the declared size, streaming in chunks of at most 1 MiB: a header
 * that understates the size is caught one chunk past it, so memory and time stay bounded by
 * the declaration, which the budget already accepted.
 */
function inflateExactly(
  raw: Uint8Array,
  size: number,
  path: string,
  budget: Budget,
): Promise<Uint8Array> {
  if (budget.signal.aborted) return Promise.reject(tooSlow(budget.timeoutMs));
  return new Promise((resolve, reject) => {
    const out = new Uint8Array(size);
    let produced = 0;
    let settled = false;
    const inflater = createInflateRaw({ chunkSize: Math.min(1 << 20, Math.max(1024, size + 1)) });
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      budget.signal.removeEventListener('abort', onAbort);
      if (error) {
        inflater.destroy();
        reject(error);
      } else resolve(out);
    };
    const onAbort = () => settle(tooSlow(budget.timeoutMs));
    budget.signal.addEventListener('abort', onAbort, { once: true });
    inflater.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (produced + chunk.length > size) return settle(sizeLie(path));
      out.set(chunk, produced);
      produced += chunk.length;
    });
    inflater.on('end', () => settle(produced === size ? undefined : sizeLie(path)));
    inflater.on('error', () => settle(invalidArchive(`${path} is corrupt in the archive.`)));
    inflater.end(raw);
  });
}

function sizeLie(path: string): GatewayException {
  return invalidArchive(`${path} does not match the size the archive declares for it.`);
}

function tooLarge(what: string): GatewayException {
  return new GatewayException('import_too_large', `The archive has ${what} to import.`);
}

function tooSlow(timeoutMs: number): GatewayException {
  return new GatewayException(
    'import_too_large',
    `The archive takes longer than ${timeoutMs / 1000} s to unpack.`,
  );
}
