/** C0 controls, DEL and C1 controls: never part of a path a person meant to follow. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
/** Anything a `Location` header cannot carry as is (non-ASCII, space): percent-encoded as UTF-8. */
const NEEDS_ENCODING = /[^\u0021-\u007e]/gu;

/**
 * Only same-site paths: `//evil.example` and `/\evil.example` are other hosts to a browser.
 * The answer is always safe to put in a `Location` header: control characters fall back (a
 * header cannot carry them and Fastify would throw), non-ASCII is percent-encoded as UTF-8 (a
 * raw header would be read as Latin-1 and garble the path). Existing `%XX` escapes are kept.
 */
export function safeNextPath(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length > 2000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (CONTROL.test(next) || next.includes('\\')) return fallback;
  try {
    return next.replace(NEEDS_ENCODING, (c) => encodeURIComponent(c));
  } catch {
    // A lone surrogate (URIError) has no UTF-8 form.
    return fallback;
  }
}
