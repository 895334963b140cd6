import { unzipSync } from 'fflate';
import { GatewayException } from '../errors/gateway-errors.js';

export interface ArchiveLimits {
  /** Sum of the uncompressed sizes of all extracted files (zip-bomb bound). */
  maxUncompressedBytes: number;
  maxFiles: number;
}

export interface ArchiveFile {
  /** Normalised, relative, `/`-separated path inside the archive. */
  path: string;
  data: Uint8Array;
}

/**
 * A path from an archive, made safe: `\` separators become `/`, and absolute paths, drive
 * letters, `..` segments and control characters are refused (we never write to disk, but
 * paths are used to resolve links between pages).
 */
export function normaliseArchivePath(name: string): string | undefined {
  const path = name.replace(/\\/g, '/');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(path) || path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    return undefined;
  }
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return undefined;
  return segments.join('/');
}

function invalid(message: string): GatewayException {
  return new GatewayException('import_invalid', message);
}

/**
 * Extracts the files `wanted` selects, bounded by `limits`. fflate sizes each output buffer
 * from the archive's declared size, so a lying header yields a truncated file, never an
 * unbounded allocation; the declared sizes are what we budget. Zips inside the zip (Notion
 * splits big exports into parts) are opened one level deep with the same budget.
 */
export function readZip(
  data: Uint8Array,
  limits: ArchiveLimits,
  wanted: (path: string) => boolean,
): ArchiveFile[] {
  const budget = { bytes: limits.maxUncompressedBytes, files: limits.maxFiles };
  return extract(data, budget, wanted, 0, '');
}

function extract(
  data: Uint8Array,
  budget: { bytes: number; files: number },
  wanted: (path: string) => boolean,
  depth: number,
  prefix: string,
): ArchiveFile[] {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(data, {
      filter: (file) => {
        if (file.name.endsWith('/')) return false;
        const path = normaliseArchivePath(file.name);
        if (path === undefined) throw invalid(`The archive has an unsafe path: ${file.name}`);
        const nested = depth === 0 && path.toLowerCase().endsWith('.zip');
        if (!nested && !wanted(path)) return false;
        budget.files -= 1;
        budget.bytes -= file.originalSize ?? 0;
        if (budget.files < 0) throw tooLarge('too many files');
        if (budget.bytes < 0) throw tooLarge('too much data once uncompressed');
        return true;
      },
    });
  } catch (error) {
    if (error instanceof GatewayException) throw error;
    throw invalid('The file is not a readable zip archive.');
  }
  const files: ArchiveFile[] = [];
  for (const [name, content] of Object.entries(entries)) {
    const path = prefix + normaliseArchivePath(name)!;
    if (depth === 0 && path.toLowerCase().endsWith('.zip')) {
      files.push(...extract(content, budget, wanted, depth + 1, ''));
    } else {
      files.push({ path, data: content });
    }
  }
  return files;
}

function tooLarge(what: string): GatewayException {
  return new GatewayException('import_too_large', `The archive has ${what} to import.`);
}
