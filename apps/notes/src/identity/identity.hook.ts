import { IDENTITY_HEADER, IdentityError, verifyIdentity, type Identity } from '@lateral/identity';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { NotesException } from '../errors/notes-errors.js';

/** Kubernetes probes carry no identity. */
const PROBE_PATHS = new Set(['/healthz', '/readyz']);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Notes trusts only the gateway: every request but the probes must carry the gateway's signed
 * identity header. Checked in `onRequest`, before the body is read, so an anonymous caller cannot
 * make us parse a megabyte of JSON. Readers may not write (the gateway checks this too).
 */
export function installIdentityHook(fastify: FastifyInstance, secret: string): void {
  fastify.decorateRequest('lateralIdentity', null);
  fastify.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done) => {
    const path = request.url.split('?', 1)[0] ?? '';
    if (PROBE_PATHS.has(path)) return done();
    try {
      request.lateralIdentity = verify(request);
      // The request's log line names who asked (docs/observability.md).
      request.lateralContext.userId = request.lateralIdentity.userId;
    } catch (error) {
      return done(error as Error);
    }
    if (WRITE_METHODS.has(request.method) && request.lateralIdentity.role === 'reader') {
      return done(new NotesException('forbidden', 'Readers cannot change pages.'));
    }
    done();
  });

  function verify(request: FastifyRequest): Identity {
    const header = request.headers[IDENTITY_HEADER];
    try {
      return verifyIdentity(typeof header === 'string' ? header : undefined, secret);
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
}
