/** Input formats media accepts, named by what the bytes are (never by the file name). */
export const IMAGE_TYPES = ['jpeg', 'png', 'webp', 'avif', 'gif', 'heic', 'tiff'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** Formats media serves; HEIC and TIFF are inputs only (browsers cannot show them). */
export const OUTPUT_FORMATS = ['avif', 'webp', 'jpeg', 'png', 'gif'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const CONTENT_TYPES: Record<ImageType | OutputFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  heic: 'image/heic',
  tiff: 'image/tiff',
};

export function formatOfContentType(contentType: string): OutputFormat | undefined {
  return OUTPUT_FORMATS.find((f) => CONTENT_TYPES[f] === contentType);
}
