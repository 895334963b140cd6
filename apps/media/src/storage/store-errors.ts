import { type StoreErrorKind } from '../media.metrics.js';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const DENIED = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
]);

interface SdkError {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * What kind of failure an object store call met, from the AWS SDK's error (its `name` is the S3
 * error code, `$metadata` the HTTP status) or the socket's `code`. Looks through `cause`.
 */
export function classifyStoreError(error: unknown, depth = 0): StoreErrorKind {
  if (typeof error !== 'object' || error === null || depth > 4) return 'other';
  const e = error as SdkError;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : typeof e.Code === 'string' ? e.Code : '';
  const status = e.$metadata?.httpStatusCode;
  if (name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT')
    return 'timeout';
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket' || status === 404)
    return name === 'NoSuchBucket' ? 'denied' : 'not_found';
  if (DENIED.has(name) || DENIED.has(code) || status === 403 || status === 401) return 'denied';
  if ((status !== undefined && status >= 500) || name === 'SlowDown') return 'server';
  // The SDK wraps socket errors it cannot read a status from (e.g. "socket hang up").
  if (typeof e.message === 'string' && /socket hang up|ECONNRESET/.test(e.message))
    return 'unreachable';
  return e.cause === undefined ? 'other' : classifyStoreError(e.cause, depth + 1);
}

/**
 * The store cannot serve right now (down, slow, refusing our credentials, missing its bucket):
 * the client should get a 503 and retry later. `not_found` is not one: a row pointing to a
 * missing object is a bug or data loss, not an outage.
 */
export const isStoreOutage = (kind: StoreErrorKind) => kind !== 'not_found' && kind !== 'other';

/** A store call failed; `kind` for metrics, readiness and the 503. Never carries credentials. */
export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    readonly operation: string,
    cause: unknown,
  ) {
    super(`object store ${operation} failed: ${kind}`, { cause });
    this.name = 'StoreError';
  }
}
