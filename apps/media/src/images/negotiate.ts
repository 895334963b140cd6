import { type OutputFormat } from './image-type.js';

/** What the picture is, as far as choosing an output format goes. */
export interface FormatTraits {
  hasAlpha: boolean;
  animated: boolean;
}

const EXPLICIT_FORMATS: Record<string, OutputFormat> = {
  avif: 'avif',
  webp: 'webp',
  jpeg: 'jpeg',
  jpg: 'jpeg',
  png: 'png',
  gif: 'gif',
};

/** `?format=`: an output format name, or undefined when it names none we produce. */
export function parseFormatParam(value: string): OutputFormat | undefined {
  return EXPLICIT_FORMATS[value.trim().toLowerCase()];
}

/** The media types an `Accept` header accepts with q > 0 (wildcards are kept as written). */
export function acceptedTypes(accept: string | undefined): Set<string> {
  const types = new Set<string>();
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    if (!type) continue;
    const q = params
      .map((p) => p.trim())
      .find((p) => p.startsWith('q='))
      ?.slice(2);
    if (q !== undefined && !(Number(q) > 0)) continue;
    types.add(type.trim());
  }
  return types;
}

/**
 * Picks the output format from `Accept`. AVIF and WebP only when named explicitly: `*\/*` and
 * `image/*` are sent by clients that cannot decode them (old Safari, curl, mail clients). The
 * fallback every client shows: GIF for animations, PNG when there is transparency, else JPEG.
 */
export function negotiateFormat(accept: string | undefined, traits: FormatTraits): OutputFormat {
  const accepted = acceptedTypes(accept);
  // sharp writes no animated AVIF; animations go to WebP or stay GIF.
  if (!traits.animated && accepted.has('image/avif')) return 'avif';
  if (accepted.has('image/webp')) return 'webp';
  if (traits.animated) return 'gif';
  return traits.hasAlpha ? 'png' : 'jpeg';
}

/** Whether a client with this `Accept` can show an image of this content type. */
export function clientAccepts(accept: string | undefined, contentType: string): boolean {
  // JPEG, PNG and GIF are shown by every browser, whatever it writes in Accept.
  if (['image/jpeg', 'image/png', 'image/gif'].includes(contentType)) return true;
  return acceptedTypes(accept).has(contentType);
}
