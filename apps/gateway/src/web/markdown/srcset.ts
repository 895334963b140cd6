/** Widths the media service serves variants at (its allow-list); srcset never asks for others. */
export const MEDIA_WIDTHS = [320, 640, 960, 1280, 1600] as const;

/** The content column is ~70ch; on phones an image spans the viewport. */
export const MEDIA_SIZES = '(min-width: 48rem) 44rem, 100vw';

export interface MediaDimensions {
  width: number;
  height: number;
}

const MEDIA_PATH = /^\/api\/v1\/media\/([\w-]{1,128})(?:\?[^#]*)?(?:#(.*))?$/;

export interface MediaReference {
  id: string;
  /** Dimensions written into the URL fragment at upload (`#w=4032&h=3024`), if any. */
  hint?: MediaDimensions;
}

/** Recognises an image source served by our media service, e.g. `/api/v1/media/abc#w=800&h=600`. */
export function parseMediaUrl(src: string): MediaReference | undefined {
  const match = MEDIA_PATH.exec(src);
  if (!match) return undefined;
  const id = match[1] as string;
  const fragment = new URLSearchParams(match[2] ?? '');
  const width = Number(fragment.get('w'));
  const height = Number(fragment.get('h'));
  const valid = (n: number) => Number.isInteger(n) && n > 0 && n <= 100_000;
  return valid(width) && valid(height) ? { id, hint: { width, height } } : { id };
}

export const mediaVariantUrl = (id: string, width: number) =>
  `/api/v1/media/${encodeURIComponent(id)}?w=${width}`;

/**
 * `srcset` candidates for a media image. Never asks for a width wider than the original (media
 * does not upscale); the last candidate is the smallest variant that covers the original,
 * described with the original's real width so the browser's pick stays honest.
 */
export function buildSrcset(id: string, originalWidth?: number): { src: string; srcset: string } {
  const widths: { url: string; descriptor: number }[] = [];
  for (const width of MEDIA_WIDTHS) {
    if (originalWidth === undefined || width < originalWidth) {
      widths.push({ url: mediaVariantUrl(id, width), descriptor: width });
    } else {
      widths.push({ url: mediaVariantUrl(id, width), descriptor: originalWidth });
      break;
    }
  }
  const srcset = widths.map((w) => `${w.url} ${w.descriptor}w`).join(', ');
  // The fallback for browsers without srcset: a sensible column-width image.
  const fallback = widths.find((w) => w.descriptor >= 960) ?? widths[widths.length - 1];
  return { src: fallback?.url ?? mediaVariantUrl(id, 960), srcset };
}
