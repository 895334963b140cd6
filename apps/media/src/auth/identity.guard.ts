import { pipeline } from 'node:stream';
import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  createParamDecorator,
} from '@nestjs/common';
import {
  BodyDigestStream,
  IDENTITY_HEADER,
  IdentityError,
  STREAMED_BODY,
  checkBodyDigest,
  verifyIdentityHeader,
  type Identity,
} from '@lateral/identity';
import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { MediaException } from '../errors/media-errors.js';
import { MediaConfig } from '../media.config.js';

const PROBE_ROUTES = new Set(['/healthz', '/readyz']);

type RequestWithCaller = FastifyRequest & { lateralCaller?: Identity };

/** Bodies hashed as Fastify's parser read them (everything but multipart). */
const bodyDigests = new WeakMap<FastifyRequest, BodyDigestStream>();

const isMultipart = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');

/**
 * Hashes each non-multipart body as Fastify reads it, for the body binding of the identity
 * header. Multipart uploads are read by @fastify/multipart from the raw request in the handler
 * (streamed, never buffered), so they are not hashed here: see {@link IdentityGuard}.
 */
export function installBodyDigest(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    if (isMultipart(request)) return done(null, payload);
    const digest = new BodyDigestStream();
    bodyDigests.set(request, digest);
    done(
      null,
      pipeline(payload, digest, () => {}),
    );
  });
}

/**
 * Media trusts only the gateway: every request but the probes carries the gateway's signed
 * identity header (HMAC with the shared internal secret, bound to method, path and body), or is
 * refused with 401.
 *
 * A multipart upload is streamed by the gateway, which cannot hash it before sending; it is
 * signed as "streamed" and accepted as such only for multipart requests. Replaying such a header
 * (within 30 s, from inside the cluster network) can only upload an image as that person to the
 * same route: uploads are content-addressed and create nothing else, change or delete nothing.
 */
@Injectable()
export class IdentityGuard implements CanActivate {
  constructor(private readonly config: MediaConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    // Probes come from the kubelet, which holds no secret.
    if (PROBE_ROUTES.has(request.routeOptions.url ?? '')) return true;
    const header = request.headers[IDENTITY_HEADER];
    try {
      const verified = verifyIdentityHeader(
        typeof header === 'string' ? header : undefined,
        this.config.service.internalSecret,
        { method: request.method, path: request.url },
      );
      checkBodyDigest(
        verified,
        isMultipart(request) ? STREAMED_BODY : (bodyDigests.get(request) ?? null),
      );
      request.lateralCaller = verified.identity;
      // The request's log line names who asked (docs/observability.md).
      request.lateralContext.userId = request.lateralCaller.userId;
      return true;
    } catch (error) {
      if (!(error instanceof IdentityError)) throw error;
      throw new MediaException('unauthorized', `Caller not authenticated: ${error.message}.`);
    }
  }
}

/** The verified caller (set by {@link IdentityGuard}). */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().lateralCaller;
  if (!caller) throw new MediaException('unauthorized', 'Caller not authenticated.');
  return caller;
});
