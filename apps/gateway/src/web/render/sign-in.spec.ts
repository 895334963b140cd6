import { type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { gatewayErrors } from '../platform.js';
import { signInAnswer } from './sign-in.js';

const req = (url: string, headers: Record<string, string>) =>
  ({ url, headers }) as unknown as FastifyRequest;

describe('signed-out callers', () => {
  it('send browsers asking for a page to the login page, keeping where they were going', () => {
    const error = signInAnswer(req('/notes/roadmap?x=1', { accept: 'text/html,*/*' }));
    expect(error?.code).toBe('login_required');
    expect(error && gatewayErrors.statusOf(error)).toBe(303);
    expect(error?.headers).toEqual({ location: '/login?next=%2Fnotes%2Froadmap%3Fx%3D1' });
  });

  it('tell htmx to navigate to the login page', () => {
    const error = signInAnswer(req('/search?q=a', { accept: 'text/html', 'hx-request': 'true' }));
    expect(error && gatewayErrors.statusOf(error)).toBe(401);
    expect(error?.headers?.['hx-redirect']).toBe('/login?next=%2Fsearch%3Fq%3Da');
  });

  it('leave API clients with the guard’s 401 JSON and Bearer challenge, even from a browser', () => {
    expect(signInAnswer(req('/api/v1/notes', { accept: 'text/html' }))).toBeUndefined();
  });
});
