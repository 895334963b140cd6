import { type FastifyRequest } from 'fastify';

/** A browser form post (answered with redirects) rather than an API client (answered with JSON). */
export function isFormPost(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

/** The login page showing why signing in failed; `next` survives a second attempt. */
export function loginPageWithError(code: string, next: string): string {
  const params = new URLSearchParams({ error: code });
  if (next !== '/') params.set('next', next);
  return `/login?${params.toString()}`;
}
