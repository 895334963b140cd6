import { randomSecret, sha256Hex } from '../auth/secrets.js';

/** The shape of every one-time link token: a prefix naming its kind, then 256 random bits. */
const TOKEN = /^(?:inv|rst)_[\w-]{43}$/;

export function newLinkToken(kind: 'inv' | 'rst'): { token: string; hash: string } {
  const token = `${kind}_${randomSecret(32)}`;
  return { token, hash: sha256Hex(token) };
}

/** The stored hash of a presented token, or undefined when it cannot be one of ours. */
export function linkTokenHash(token: string, kind: 'inv' | 'rst'): string | undefined {
  return TOKEN.test(token) && token.startsWith(`${kind}_`) ? sha256Hex(token) : undefined;
}

/** The absolute link people are given (PUBLIC_URL may carry a path prefix). */
export function linkUrl(publicUrl: URL, path: string): string {
  const base = publicUrl.href.endsWith('/') ? publicUrl.href.slice(0, -1) : publicUrl.href;
  return `${base}${path}`;
}
