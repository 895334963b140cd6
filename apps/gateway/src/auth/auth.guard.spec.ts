import { type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { gatewayErrors } from '../errors/gateway-errors.js';
import { unauthenticated } from './auth.guard.js';

const req = (url: string, headers: Record<string, string>) =>
  ({ url, headers }) as unknown as FastifyRequest;

describe('unauthenticated callers', () => {
  it('send browsers asking for a page to the login page, keeping where they were going', () => {
    const error = unauthenticated(req('/notes/roadmap?x=1', { accept: 'text/html,*/*' }));
    expect(error.code).toBe('login_required');
    expect(gatewayErrors.statusOf(error)).toBe(303);
    expect(error.headers).toEqual({ location: '/login?next=%2Fnotes%2Froadmap%3Fx%3D1' });
  });

  it('tell htmx to navigate to the login page', () => {
    const error = unauthenticated(
      req('/search?q=a', { accept: 'text/html', 'hx-request': 'true' }),
    );
    expect(gatewayErrors.statusOf(error)).toBe(401);
    expect(error.headers?.['hx-redirect']).toBe('/login?next=%2Fsearch%3Fq%3Da');
  });

  it('answer API clients with 401 JSON and a Bearer challenge, even from a browser', () => {
    const error = unauthenticated(req('/api/v1/notes', { accept: 'text/html' }));
    expect(error.code).toBe('unauthenticated');
    expect(error.headers).toEqual({ 'www-authenticate': 'Bearer' });
  });
});
