import { type ImageType } from './image-type.js';

/** What the first bytes say: a supported image, SVG (always refused) or something else. */
export type SniffResult = ImageType | 'svg' | undefined;

/** How many leading bytes {@link sniffImageType} needs to decide. */
export const SNIFF_BYTES = 512;

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
// Generic HEIF brands: the codec is only known from the compatible brands (or the item data).
const GENERIC_HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2', 'miaf']);

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

const ascii = (bytes: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...bytes.subarray(start, end));

/** ISO-BMFF `ftyp` box: major brand and compatible brands decide AVIF vs HEIC. */
function sniffFtyp(bytes: Uint8Array): ImageType | undefined {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return undefined;
  const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (boxSize < 16 || boxSize > 4096) return undefined;
  const end = Math.min(boxSize, bytes.length);
  const brands = [ascii(bytes, 8, 12)];
  for (let offset = 16; offset + 4 <= end; offset += 4)
    brands.push(ascii(bytes, offset, offset + 4));
  if (brands.some((b) => AVIF_BRANDS.has(b))) return 'avif';
  if (brands.some((b) => HEIF_BRANDS.has(b))) return 'heic';
  // `mif1` alone is a HEIF still image with an unnamed codec; libheif reads either kind.
  if (brands.some((b) => GENERIC_HEIF_BRANDS.has(b))) return 'heic';
  return undefined;
}

/** SVG is text: an optional BOM and whitespace, then an XML prolog, comments or `<svg`. */
function looksLikeSvg(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.subarray(0, SNIFF_BYTES))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (text.startsWith('<svg')) return true;
  if (!text.startsWith('<?xml') && !text.startsWith('<!--') && !text.startsWith('<!doctype svg'))
    return false;
  return text.includes('<svg');
}

/**
 * Detects the image type from magic bytes. (file-type 22 needs Node 22; these few formats are
 * easy to tell apart by their signatures.)
 */
export function sniffImageType(bytes: Uint8Array): SniffResult {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return 'gif';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP')
    return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  const ftyp = sniffFtyp(bytes);
  if (ftyp) return ftyp;
  if (looksLikeSvg(bytes)) return 'svg';
  return undefined;
}
