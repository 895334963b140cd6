import { type FastifyRequest } from 'fastify';
import { isHtmxRequest, wantsHtml } from './htmx-request.js';
import { GatewayException } from '../platform.js';

/**
 * The answer for a caller the auth guard found signed out (`SignInRequired`): htmx is told to
 * navigate to the login page (a 401 with `HX-Redirect`), a browser asking for a page is sent
 * there (303), keeping where it was going; anything else keeps the guard's 401 JSON answer.
 */
export function signInAnswer(request: FastifyRequest): GatewayException | undefined {
  const next = encodeURIComponent(request.url);
  if (isHtmxRequest(request)) {
    return new GatewayException('unauthenticated', 'Sign in to continue.', undefined, {
      'hx-redirect': `/login?next=${next}`,
    });
  }
  if (wantsHtml(request)) {
    return new GatewayException('login_required', 'Sign in to continue.', undefined, {
      location: `/login?next=${next}`,
    });
  }
  return undefined;
}
