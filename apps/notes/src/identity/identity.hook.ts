import {
  BodyDigestStream,
  IDENTITY_HEADER,
  IdentityError,
  checkBodyDigest,
  verifyIdentityHeader,
  type VerifiedHeader,
} from '@lateral/identity';
import { pipeline } from 'node:stream';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { NotesException } from '../errors/notes-errors.js';

/** Kubernetes probes carry no identity. */
const PROBE_PATHS = new Set(['/healthz', '/readyz']);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface PendingBody {
  verified: VerifiedHeader;
  digest: BodyDigestStream;
}

/**
 * Notes trusts only the gateway: every request but the probes must carry the gateway's signed
 * identity header, bound to the method, path and body. The signature, route binding and age are
 * checked in `onRequest`, before the body is read, so an anonymous caller cannot make us parse a
 * megabyte of JSON. The body is hashed as Fastify's parser reads it (`preParsing`) and compared
 * with the signed digest before validation and the handler (`preValidation`). Readers may not
 * write (the gateway checks this too).
 */
export function installIdentityHook(fastify: FastifyInstance, secret: string): void {
  const pending = new WeakMap<FastifyRequest, PendingBody>();
  fastify.decorateRequest('lateralIdentity', null);
  fastify.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done) => {
    const path = request.url.split('?', 1)[0] ?? '';
    if (PROBE_PATHS.has(path)) return done();
    let verified: VerifiedHeader;
    try {
      verified = unauthorizedOnError(() => {
        const header = request.headers[IDENTITY_HEADER];
        return verifyIdentityHeader(typeof header === 'string' ? header : undefined, secret, {
          method: request.method,
          path: request.url,
        });
      });
    } catch (error) {
      return done(error as Error);
    }
    pending.set(request, { verified, digest: new BodyDigestStream() });
    request.lateralIdentity = verified.identity;
    // The request's log line names who asked (docs/observability.md).
    request.lateralContext.userId = verified.identity.userId;
    if (WRITE_METHODS.has(request.method) && verified.identity.role === 'reader') {
      return done(new NotesException('forbidden', 'Readers cannot change pages.'));
    }
    done();
  });
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const body = pending.get(request);
    if (!body) return done(null, payload);
    // pipeline, not pipe: a client abort must reach Fastify's body reader as an error.
    done(
      null,
      pipeline(payload, body.digest, () => {}),
    );
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    const body = pending.get(request);
    if (!body) return done();
    try {
      unauthorizedOnError(() => checkBodyDigest(body.verified, body.digest));
    } catch (error) {
      return done(error as Error);
    }
    done();
  });
}

function unauthorizedOnError<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof IdentityError) {
      throw new NotesException(
        'unauthorized',
        `Missing or invalid caller identity (${error.message}).`,
      );
    }
    throw error;
  }
}
