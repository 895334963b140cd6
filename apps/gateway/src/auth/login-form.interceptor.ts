import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { isDomainException } from '@lateral/http';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { catchError, map, type Observable, of, throwError } from 'rxjs';
import { isFormPost, loginPageWithError } from './login-redirect.js';
import { safeNextPath } from './safe-redirect.js';

/**
 * `POST /login` answers JSON clients with JSON and the login form with redirects: 303 to `next`
 * on success, 303 back to the form with `?error=<code>` on any coded failure (validation by the
 * route's ZodPipe included, which is why this wraps the pipes rather than living in the handler).
 */
@Injectable()
export class LoginFormInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (!isFormPost(request)) return next.handle();
    // Read from the raw form so a failed validation still keeps where the person was going.
    const target = safeNextPath((request.body as { next?: unknown } | undefined)?.next);
    return next.handle().pipe(
      map(() => void reply.redirect(target, 303)),
      catchError((error: unknown) => {
        if (!isDomainException(error)) return throwError(() => error);
        const retryAfter = error.headers?.['retry-after'];
        if (retryAfter) void reply.header('retry-after', retryAfter);
        return of(void reply.redirect(loginPageWithError(error.code, target), 303));
      }),
    );
  }
}
