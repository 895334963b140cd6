import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  createParamDecorator,
} from '@nestjs/common';
import { IDENTITY_HEADER, IdentityError, verifyIdentity, type Identity } from '@lateral/identity';
import { type FastifyRequest } from 'fastify';
import { MediaException } from '../errors/media-errors.js';
import { MediaConfig } from '../media.config.js';

const PROBE_ROUTES = new Set(['/healthz', '/readyz']);

type RequestWithCaller = FastifyRequest & { lateralCaller?: Identity };

/**
 * Media trusts only the gateway: every request but the probes carries the gateway's signed
 * identity header (HMAC with the shared internal secret), or is refused with 401.
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
      request.lateralCaller = verifyIdentity(
        typeof header === 'string' ? header : undefined,
        this.config.service.internalSecret,
      );
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
