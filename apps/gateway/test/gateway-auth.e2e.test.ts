import { signIdentity, verifyIdentity } from '@lateral/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { BOOTSTRAP_USER_ID } from '../src/auth/request-auth.service.js';
import { FakeUpstream } from './fake-upstream.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  BOOTSTRAP_TOKEN,
  INTERNAL_SECRET,
  signIn,
  startGateway,
  type GatewayHarness,
} from './gateway-harness.js';

describe('gateway auth and API proxy (fake upstreams)', () => {
  const notes = new FakeUpstream();
  const media = new FakeUpstream();
  let gw: GatewayHarness;

  beforeAll(async () => {
    await notes.start();
    await media.start();
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: notes.url,
      MEDIA_URL: media.url,
      RATE_LIMIT_LOGIN_PER_MINUTE: '5',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
    await media.stop();
  });
  beforeEach(() => {
    notes.requests.length = 0;
  });

  it('signs in with the first admin and answers who is calling', async () => {
    const { cookie, csrf } = await signIn(gw);
    expect(csrf).toMatch(/^[\w-]{43}$/);
    const me = await gw.http().get('/api/v1/me').set('cookie', cookie);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: ADMIN_EMAIL, role: 'admin' });
  });

  it('refuses a wrong password with 401 JSON and never says which part was wrong', async () => {
    const res = await gw.http().post('/login').send({ email: ADMIN_EMAIL, password: 'nope' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('forwards API calls with the signed identity and the request id', async () => {
    notes.handler = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json', etag: '"v1"', vary: 'Accept' })
        .end('{"items":[],"nextCursor":null}');
    const res = await gw
      .http()
      .get('/api/v1/notes?tag=ops&limit=5')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .set('x-request-id', 'req-forward-1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
    expect(res.headers.etag).toBe('"v1"');
    expect(res.headers.vary).toBe('Accept');
    const seen = notes.requests[0]!;
    expect(seen.url).toBe('/api/v1/notes?tag=ops&limit=5');
    expect(seen.headers['x-request-id']).toBe('req-forward-1');
    const identity = verifyIdentity(seen.headers['x-lateral-identity'] as string, INTERNAL_SECRET, {
      method: 'GET',
      path: '/api/v1/notes?tag=ops&limit=5',
      body: seen.body,
    });
    expect(identity).toMatchObject({ userId: BOOTSTRAP_USER_ID, role: 'admin' });
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers.cookie).toBeUndefined();
  });

  it('needs the CSRF token for cookie-authenticated writes, not for bearer tokens', async () => {
    notes.handler = (req, res) =>
      res.writeHead(201, { 'content-type': 'application/json' }).end(req.body);
    const { cookie, csrf } = await signIn(gw);
    const without = await gw
      .http()
      .post('/api/v1/notes')
      .set('cookie', cookie)
      .send({ title: 'A', body: 'b' });
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('csrf_failed');
    expect(notes.requests).toHaveLength(0);
    const wrong = await gw
      .http()
      .post('/api/v1/notes')
      .set('cookie', cookie)
      .set('x-csrf-token', 'x'.repeat(43))
      .send({ title: 'A', body: 'b' });
    expect(wrong.status).toBe(403);
    const ok = await gw
      .http()
      .post('/api/v1/notes')
      .set('cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ title: 'A', body: 'b' });
    expect(ok.status).toBe(201);
    expect(JSON.parse(notes.requests[0]!.body.toString())).toEqual({ title: 'A', body: 'b' });
    const bearer = await gw
      .http()
      .post('/api/v1/notes')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .send({ title: 'B', body: 'c' });
    expect(bearer.status).toBe(201);
  });

  it('answers 401 JSON to API clients and redirects browsers to the login page', async () => {
    const api = await gw.http().get('/api/v1/notes');
    expect(api.status).toBe(401);
    expect(api.body.error.code).toBe('unauthenticated');
    const badToken = await gw.http().get('/api/v1/notes').set('authorization', 'Bearer lat_nope');
    expect(badToken.status).toBe(401);
    expect(notes.requests).toHaveLength(0);
  });

  it('answers 503 upstream_unavailable when notes is down, and recovers when it is back', async () => {
    const port = notes.port;
    await notes.stop();
    const down = await gw
      .http()
      .get('/api/v1/notes')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`);
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('upstream_unavailable');
    expect(down.headers['retry-after']).toBeDefined();
    await notes.start(port);
    notes.handler = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
    const back = await gw
      .http()
      .get('/api/v1/notes')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`);
    expect(back.status).toBe(200);
  });

  it('keeps the signing secret private to the services', () => {
    const who = { userId: 'u', name: 'n', role: 'reader' } as const;
    expect(signIdentity(who, INTERNAL_SECRET, { method: 'GET', path: '/' })).toMatch(/^v2\./);
    expect(ADMIN_PASSWORD.length).toBeGreaterThan(12);
  });
});
