import { pipeline } from 'node:stream';
import { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  BodyDigestStream,
  IDENTITY_HEADER,
  IdentityError,
  STREAMED_BODY,
  checkBodyDigest,
  verifyIdentityHeader,
  type Identity,
  type VerifiedHeader,
} from './signed-identity.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the gateway says is calling; set by {@link installIdentityCheck} before routing. */
    caller: Identity | null;
  }
}

/** A route (method + Fastify route template) whose multipart body the gateway streams unhashed. */
export interface StreamedBodyRoute {
  method: string;
  url: string;
}

export interface IdentityCheckOptions {
  /** The internal secret shared with the gateway. */
  secret: string;
  /**
   * Routes that may carry the "streamed" body digest, and only for a multipart body: the gateway
   * streams uploads and cannot hash them before sending. Every other body is hashed as read.
   */
  streamedBodyRoutes?: readonly StreamedBodyRoute[];
  /** Paths that carry no identity (default: the kubelet's probes, which hold no secret). */
  anonymousPaths?: readonly string[];
  /** The app's coded error for a missing or invalid header (its filter maps the code to 401). */
  unauthorized: (error: IdentityError) => Error;
  /** When set, a reader's write (POST/PUT/PATCH/DELETE) is refused with this before the body is read. */
  readerWrite?: () => Error;
  /** Milliseconds since the epoch, for the header's age (default `Date.now`). */
  now?: () => number;
}

const PROBE_PATHS = ['/healthz', '/readyz'];
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * Methods whose body Fastify never reads: their digest is the empty body's, known without a
 * stream (a hashing Transform and a pipeline per read was a measurable share of a page read).
 */
const BODYLESS_METHODS = new Set(['GET', 'HEAD']);

interface Pending {
  verified: VerifiedHeader;
  /**
   * What the signed digest is compared with: the stream hashing the body as read, the empty
   * body for a bodyless method, or STREAMED_BODY for a streamed multipart body (read later by the
   * handler, never hashed).
   */
  digest: BodyDigestStream | '' | typeof STREAMED_BODY;
}

const isMultipart = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');

/**
 * The one identity check of the services behind the gateway (notes, media): every request but
 * the anonymous paths carries the gateway's signed header, bound to method, path and body.
 *
 * - `onRequest` checks signature, method, path and age before the body is read, so an anonymous
 *   caller cannot make us parse a megabyte of JSON; it sets `request.caller`.
 * - `preParsing` hashes the body as Fastify's parser reads it, so the digest is over the exact
 *   bytes received, whatever the content type.
 * - `preValidation` compares that digest with the signed one before validation and the handler.
 *
 * A multipart body on a {@link IdentityCheckOptions.streamedBodyRoutes streamed-body route} is
 * read by the handler from the raw request (streamed, never buffered), so it is not hashed (a
 * second reader would stall it): it must be signed as "streamed". Replaying such a header (within
 * 30 s, from inside the cluster network) can only repeat the same upload as the same person.
 */
export function installIdentityCheck(
  fastify: FastifyInstance,
  options: IdentityCheckOptions,
): void {
  const anonymous = new Set(options.anonymousPaths ?? PROBE_PATHS);
  const streamed = new Set(
    (options.streamedBodyRoutes ?? []).map((r) => `${r.method.toUpperCase()} ${r.url}`),
  );
  const mayStream = (request: FastifyRequest) =>
    isMultipart(request) && streamed.has(`${request.method} ${request.routeOptions.url ?? ''}`);
  const pending = new WeakMap<FastifyRequest, Pending>();
  const now = options.now ?? Date.now;

  fastify.decorateRequest('caller', null);
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (anonymous.has(request.url.split('?', 1)[0] ?? '')) return done();
    const header = request.headers[IDENTITY_HEADER];
    let verified: VerifiedHeader;
    try {
      verified = verifyIdentityHeader(
        typeof header === 'string' ? header : undefined,
        options.secret,
        { method: request.method, path: request.url },
        { now: now() },
      );
    } catch (error) {
      return done(error instanceof IdentityError ? options.unauthorized(error) : (error as Error));
    }
    pending.set(request, {
      verified,
      digest: BODYLESS_METHODS.has(request.method)
        ? ''
        : mayStream(request)
          ? STREAMED_BODY
          : new BodyDigestStream(),
    });
    request.caller = verified.identity;
    // The request's log line names who asked (docs/observability.md). The context is
    // @lateral/observability's, which this dependency-free lib reaches only structurally.
    const context = (request as { lateralContext?: { userId?: string } | null }).lateralContext;
    if (context) context.userId = verified.identity.userId;
    if (options.readerWrite && verified.identity.role === 'reader') {
      if (WRITE_METHODS.has(request.method)) return done(options.readerWrite());
    }
    done();
  });
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const digest = pending.get(request)?.digest;
    if (!(digest instanceof BodyDigestStream)) return done(null, payload);
    // pipeline, not pipe: a client abort must reach Fastify's body reader as an error.
    done(
      null,
      pipeline(payload, digest, () => {}),
    );
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    const body = pending.get(request);
    if (!body) return done();
    try {
      checkBodyDigest(body.verified, body.digest);
    } catch (error) {
      return done(error instanceof IdentityError ? options.unauthorized(error) : (error as Error));
    }
    done();
  });
}
