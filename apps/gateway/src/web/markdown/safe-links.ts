/** Schemes a rendered link or image may use; everything else (javascript:, vbscript:, data:, file:…) is dropped. */
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * Allow-list check for hrefs and image sources, after markdown-it has decoded entities and
 * escapes. Browsers ignore ASCII whitespace and control characters inside a scheme
 * (`java\tscript:`), so they are removed before the scheme is read.
 */
export function isSafeUrl(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  const compact = url.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  if (!scheme) return true;
  return ALLOWED_SCHEMES.has(scheme[1] as string);
}

/** Absolute http(s) links leave the wiki: they get `rel="nofollow noopener"`. */
export function isExternalUrl(url: string): boolean {
  return /^(?:https?:)?\/\//i.test(url.trim());
}
