import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The gateway authenticates people; notes and media trust only the gateway. It proves who the
 * caller is with this header: an HMAC-SHA256 over the user id, role and a timestamp, keyed with a
 * secret shared through a Kubernetes Secret. The timestamp bounds replay of a captured header.
 */
export const IDENTITY_HEADER = 'x-lateral-identity';

export const ROLES = ['reader', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  userId: string;
  /** Shown in revisions ("edited by"); the gateway's display name at signing time. */
  name: string;
  role: Role;
}

export class IdentityError extends Error {
  override name = 'IdentityError';
}

const VERSION = 'v1';
const DEFAULT_MAX_SKEW_MS = 60_000;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function signIdentity(identity: Identity, secret: string, now = Date.now()): string {
  const payload = [
    VERSION,
    b64(identity.userId),
    b64(identity.name),
    identity.role,
    String(now),
  ].join('.');
  return `${payload}.${mac(secret, payload)}`;
}

export function verifyIdentity(
  header: string | undefined,
  secret: string,
  options: { now?: number; maxSkewMs?: number } = {},
): Identity {
  if (!header) throw new IdentityError('missing identity header');
  const parts = header.split('.');
  if (parts.length !== 6 || parts[0] !== VERSION)
    throw new IdentityError('malformed identity header');
  const [, userId64, name64, role, ts, signature] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const expected = Buffer.from(mac(secret, parts.slice(0, 5).join('.')));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new IdentityError('bad identity signature');
  }
  const now = options.now ?? Date.now();
  const age = Math.abs(now - Number(ts));
  if (!Number.isFinite(age) || age > (options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) {
    throw new IdentityError('identity header expired');
  }
  if (!(ROLES as readonly string[]).includes(role)) throw new IdentityError('unknown role');
  return { userId: unb64(userId64), name: unb64(name64), role: role as Role };
}
