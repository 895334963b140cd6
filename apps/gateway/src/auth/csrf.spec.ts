import { type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { csrfSatisfied, csrfTokenFor } from './csrf.js';
import { type RequestAuth } from './request-auth.js';

const TOKEN = 'a'.repeat(43);
const session: RequestAuth = {
  user: { id: 'u1', name: 'Ana', role: 'editor' },
  method: 'session',
  csrfToken: TOKEN,
};

function req(partial: {
  method?: string;
  auth?: RequestAuth | null;
  headers?: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
}): FastifyRequest {
  return {
    method: partial.method ?? 'POST',
    lateralAuth: partial.auth === undefined ? session : partial.auth,
    headers: partial.headers ?? {},
    body: partial.body,
    query: partial.query ?? {},
  } as unknown as FastifyRequest;
}

describe('CSRF', () => {
  it('gives each session its token and anonymous requests none', () => {
    expect(csrfTokenFor(req({}))).toBe(TOKEN);
    expect(csrfTokenFor(req({ auth: null }))).toBe('');
  });

  it('lets safe methods through and requires the token on unsafe cookie requests', () => {
    expect(csrfSatisfied(req({ method: 'GET' }))).toBe(true);
    expect(csrfSatisfied(req({}))).toBe(false);
    expect(csrfSatisfied(req({ headers: { 'x-csrf-token': 'b'.repeat(43) } }))).toBe(false);
    expect(csrfSatisfied(req({ headers: { 'x-csrf-token': TOKEN } }))).toBe(true);
    expect(csrfSatisfied(req({ body: { _csrf: TOKEN, title: 'x' } }))).toBe(true);
  });

  it('accepts the query token only for multipart forms (their body is read after the guard)', () => {
    expect(csrfSatisfied(req({ query: { _csrf: TOKEN } }))).toBe(false);
    expect(
      csrfSatisfied(
        req({ query: { _csrf: TOKEN }, headers: { 'content-type': 'multipart/form-data; b=1' } }),
      ),
    ).toBe(true);
  });

  it('exempts bearer-token and anonymous requests (nothing a forged request could borrow)', () => {
    expect(
      csrfSatisfied(req({ auth: { ...session, method: 'token', csrfToken: undefined } })),
    ).toBe(true);
    expect(csrfSatisfied(req({ auth: null }))).toBe(true);
  });
});
