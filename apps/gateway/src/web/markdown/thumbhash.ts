import { thumbHashToDataURL } from 'thumbhash';

/**
 * Decodes a base64 ThumbHash (as the media service stores it) to a tiny PNG data URL for a CSS
 * background placeholder. Bad input yields undefined: a placeholder is never worth an error.
 */
export function thumbhashDataUrl(base64: string | undefined | null): string | undefined {
  if (!base64 || base64.length > 200 || !/^[\w+/=-]+$/.test(base64)) return undefined;
  try {
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length < 5) return undefined;
    return thumbHashToDataURL(bytes);
  } catch {
    return undefined;
  }
}
