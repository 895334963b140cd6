import { createHash, createHmac, timingSafeEqual, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * The gateway authenticates people; notes and media trust only the gateway. It proves who the
 * caller is with this header: an HMAC-SHA256 over the user id, name, role and a timestamp, keyed
 * with a secret shared through a Kubernetes Secret. Since v2 the MAC also covers the request it
 * was made for (method, path with query as sent, SHA-256 of the body), so a captured header
 * cannot be replayed against another route or with another body, and it is valid only for a
 * short time after it was made.
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

/**
 * A body the sender streams and cannot hash before sending (multipart uploads to media). Its
 * digest is `-`; only a receiver that opts in (media's upload route) accepts it.
 */
export const STREAMED_BODY: unique symbol = Symbol('lateral.streamed-body');
export type SignedBody = string | Uint8Array | null | undefined | typeof STREAMED_BODY;

/** The request a header is bound to: method, path with query exactly as sent, and the body. */
export interface SignedRequest {
  method: string;
  path: string;
  body?: SignedBody;
}

export interface VerifyOptions {
  now?: number;
  /** How old a header may be (default 30 s): long enough for a queued request, short for replay. */
  maxAgeMs?: number;
  /** Clock skew tolerated into the future (default 2 s); a header is never valid *before* it is made. */
  maxFutureMs?: number;
}

/** A header whose signature, request binding and age are checked; the body is checked apart. */
export interface VerifiedHeader {
  identity: Identity;
  /** The signed body digest (`-` for a streamed body); `undefined` for a legacy v1 header. */
  bodyDigest: string | undefined;
}

const VERSION = 'v2';
/**
 * Rolling update: Argo CD syncs the three charts together, so notes/media may run the new code
 * while an old gateway pod still sends v1 (and the other way round). Refusing v1 would fail every
 * request in that window, so the verifiers accept v1 for this one release, under the new
 * past-only window. No new v1 header is minted once the last old gateway pod is gone, so the
 * weaker v1 binding is exposed only for the rollout plus 30 s. Remove LEGACY_VERSION in the next
 * release (the gateway must then be on v2 everywhere, which this release guarantees).
 */
const LEGACY_VERSION = 'v1';
const STREAMED_DIGEST = '-';
const EMPTY_DIGEST = createHash('sha256').update('').digest('base64url');
const DEFAULT_MAX_AGE_MS = 30_000;
const DEFAULT_MAX_FUTURE_MS = 2_000;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** SHA-256 (base64url) of the exact bytes sent; `-` for a streamed body; no body = empty bytes. */
export function bodyDigest(body: SignedBody): string {
  if (body === STREAMED_BODY) return STREAMED_DIGEST;
  // Most requests (every read) have no body: its digest is a constant.
  if (body === undefined || body === null || body.length === 0) return EMPTY_DIGEST;
  return createHash('sha256').update(body).digest('base64url');
}

function binding(payload: string, request: SignedRequest): string {
  // Newlines cannot occur in a method or an HTTP request target, so the fields cannot run together.
  return `${payload}\n${request.method.toUpperCase()}\n${request.path}`;
}

export function signIdentity(
  identity: Identity,
  secret: string,
  request: SignedRequest,
  now = Date.now(),
): string {
  const payload = [
    VERSION,
    b64(identity.userId),
    b64(identity.name),
    identity.role,
    String(now),
    bodyDigest(request.body),
  ].join('.');
  return `${payload}.${mac(secret, binding(payload, request))}`;
}

/**
 * Checks signature, method, path and age. The body digest is returned, not checked, for a
 * receiver that verifies before it has read the body (notes checks it after parsing with
 * {@link checkBodyDigest}).
 */
export function verifyIdentityHeader(
  header: string | undefined,
  secret: string,
  request: Omit<SignedRequest, 'body'>,
  options: VerifyOptions = {},
): VerifiedHeader {
  if (!header) throw new IdentityError('missing identity header');
  const parts = header.split('.');
  const legacy = parts.length === 6 && parts[0] === LEGACY_VERSION;
  if (!legacy && (parts.length !== 7 || parts[0] !== VERSION)) {
    throw new IdentityError('malformed identity header');
  }
  const signature = parts.pop() ?? '';
  const payload = parts.join('.');
  const expected = Buffer.from(mac(secret, legacy ? payload : binding(payload, request)));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new IdentityError('bad identity signature');
  }
  const [, userId64, name64, role, ts, digest] = parts as [
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  const age = (options.now ?? Date.now()) - Number(ts);
  if (
    !Number.isFinite(age) ||
    age > (options.maxAgeMs ?? DEFAULT_MAX_AGE_MS) ||
    -age > (options.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS)
  ) {
    throw new IdentityError('identity header expired');
  }
  if (!(ROLES as readonly string[]).includes(role)) throw new IdentityError('unknown role');
  return {
    identity: { userId: unb64(userId64), name: unb64(name64), role: role as Role },
    bodyDigest: legacy ? undefined : digest,
  };
}

/**
 * Hashes a request body as the receiver's own parser reads it, so the digest is over the exact
 * bytes received, whatever the content type. A body nobody read hashes as empty: no handler saw it.
 */
export class BodyDigestStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private result: string | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    // Bytes arriving after the digest was compared (a body no parser read, still flowing in) were
    // never checked: they end the stream instead of reaching a reader (or a finalized hash).
    if (this.result !== undefined) {
      callback(new IdentityError('body read after its digest was checked'));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    this.result ??= this.hash.digest('base64url');
    return this.result;
  }
}

/** Throws unless the header was signed for this body (a v1 header binds no body). */
export function checkBodyDigest(
  verified: VerifiedHeader,
  body: SignedBody | BodyDigestStream,
): void {
  if (verified.bodyDigest === undefined) return;
  const expected = Buffer.from(body instanceof BodyDigestStream ? body.digest() : bodyDigest(body));
  const given = Buffer.from(verified.bodyDigest);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new IdentityError('identity header signed for another body');
  }
}

/** Verifies the header against the whole request: signature, method, path, body and age. */
export function verifyIdentity(
  header: string | undefined,
  secret: string,
  request: SignedRequest,
  options: VerifyOptions = {},
): Identity {
  const verified = verifyIdentityHeader(header, secret, request, options);
  checkBodyDigest(verified, request.body);
  return verified.identity;
}
