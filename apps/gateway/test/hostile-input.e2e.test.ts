import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, BOOTSTRAP_TOKEN } from './gateway-harness.js';
import { startRealStack, upstreamsBuilt } from './browser/real-stack.js';

/**
 * Hostile text, structure and path lengths through the gateway in front of the real notes and
 * media (from their build): every one a 4xx in our JSON shape (or the web UI's error page), and
 * nothing written.
 */
let stack: Awaited<ReturnType<typeof startRealStack>>;
let cookie: string;
let csrf: string;

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${stack.baseUrl}${path}`, {
    ...init,
    redirect: 'manual',
    headers: {
      authorization: `Bearer ${BOOTSTRAP_TOKEN}`,
      'content-type': 'application/json',
      ...(init.headers as Record<string, string>),
    },
  });
const web = (path: string, init: RequestInit = {}) =>
  fetch(`${stack.baseUrl}${path}`, {
    ...init,
    redirect: 'manual',
    headers: {
      cookie,
      accept: 'text/html',
      origin: stack.baseUrl,
      ...(init.headers as Record<string, string>),
    },
  });
const json = async (res: Response) => (await res.json()) as { error: { code: string } };

describe.skipIf(!upstreamsBuilt())('the gateway in front of real notes and media', () => {
  beforeAll(async () => {
    stack = await startRealStack(inject('postgresAdminUrl'));
    const login = await fetch(`${stack.baseUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    csrf = String(
      ((await (await web('/api/v1/session')).json()) as { csrfToken: string }).csrfToken,
    );
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('opens a page whose slug is 120 characters through the API and the web UI', async () => {
    const title = `${'Quarterly planning notes '.repeat(6)}appendix`;
    const created = await api('/api/v1/notes', {
      method: 'POST',
      body: JSON.stringify({ title, body: 'Long **titles** work.' }),
    });
    expect(created.status).toBe(201);
    const note = (await created.json()) as { id: string; slug: string };
    expect(note.slug).toHaveLength(120);

    const byApi = await api(`/api/v1/notes/${note.slug}`);
    expect(byApi.status).toBe(200);
    expect(((await byApi.json()) as { id: string }).id).toBe(note.id);
    const page = await web(`/notes/${note.slug}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Long <strong>titles</strong> work.');
    expect((await web(`/notes/${note.slug}/edit`)).status).toBe(200);
  });

  it('answers an over-long path with our JSON 414, never echoing it', async () => {
    for (const path of [`/notes/${'z'.repeat(5000)}`, `/api/v1/notes/${'z'.repeat(5000)}`]) {
      const res = await web(path);
      expect(res.status).toBe(414);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({
        error: { code: 'uri_too_long', message: 'The address is too long.' },
      });
      expect(text).not.toContain('zzzz');
    }
  });

  it.each([
    ['the title', { title: 'a\u0000b' }],
    ['the body', { title: 'NUL body', body: 'x\u0000y' }],
    ['a tag', { title: 'NUL tag', tags: ['a\u0000'] }],
    ['the title (bidi override)', { title: 'abc\u202egnp.exe' }],
  ])('NUL or control characters in %s of a new page: 400, no page', async (_name, body) => {
    const res = await api('/api/v1/notes', { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('invalid_characters');
    const list = (await (await api('/api/v1/notes?limit=100')).json()) as {
      items: { title: string }[];
    };
    expect(list.items.map((n) => n.title)).not.toContain(body.title);
  });

  it.each([
    '/api/v1/notes/a%00b',
    '/api/v1/notes?tag=%00',
    '/api/v1/search?q=deploy%00',
    '/api/v1/media/m%00',
    '/api/v1/tokens?x=%00',
  ])('NUL in the API path or query %s: 400 invalid_characters', async (path) => {
    const res = await api(path);
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('invalid_characters');
  });

  it('NUL in a web path: 400 error page', async () => {
    const res = await web('/notes/a%00b');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('NUL in the login e-mail: 400 for JSON, back to the form with the error for a browser', async () => {
    const asJson = await fetch(`${stack.baseUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ad\u0000min@example.test', password: 'x' }),
    });
    expect(asJson.status).toBe(400);
    expect((await json(asJson)).error.code).toBe('invalid_characters');

    const asForm = await fetch(`${stack.baseUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.baseUrl },
      body: 'email=ad%00min%40example.test&password=x',
    });
    expect(asForm.status).toBe(303);
    expect(asForm.headers.get('location')).toBe('/login?error=invalid_characters');
  });

  it('NUL or bidi controls in user and token names: 400, nothing created', async () => {
    for (const [path, body] of [
      ['/api/v1/users', { email: 'nul@example.test', name: 'N\u0000', password: 'a'.repeat(16) }],
      ['/api/v1/users', { email: 'n\u0000l@example.test', name: 'N', password: 'a'.repeat(16) }],
      [
        '/api/v1/users',
        { email: 'bidi@example.test', name: 'ad\u202emin', password: 'a'.repeat(16) },
      ],
      ['/api/v1/tokens', { name: 'ci\u0000' }],
    ] as const) {
      const res = await api(path, { method: 'POST', body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json(res)).error.code).toBe('invalid_characters');
    }
    const users = JSON.stringify(await (await api('/api/v1/users')).json());
    expect(users).not.toContain('nul@example.test');
    expect(users).not.toContain('bidi@example.test');
    expect(JSON.stringify(await (await api('/api/v1/tokens')).json())).not.toContain('"ci');
  });

  it('NUL in the web editor: 400 with the form re-shown without it, no page', async () => {
    const res = await web('/new', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, title: 'Web NUL', body: 'a\u0000b' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('control characters');
    expect((await api('/api/v1/notes/web-nul')).status).toBe(404);
  });

  it('deeply nested JSON: 400 malformed_json at the gateway, which stays up', async () => {
    for (const body of ['['.repeat(100_000), `{"title":"x","tags":${'['.repeat(100_000)}}`]) {
      const res = await api('/api/v1/notes', { method: 'POST', body });
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe('malformed_json');
    }
    expect((await fetch(`${stack.baseUrl}/healthz`)).status).toBe(200);
  });
});
