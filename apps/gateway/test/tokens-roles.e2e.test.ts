import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  BOOTSTRAP_TOKEN,
  signIn,
  startGateway,
  type GatewayHarness,
} from './gateway-harness.js';

const bootstrap = `Bearer ${BOOTSTRAP_TOKEN}`;

describe('API tokens, roles, sign-in forms and rate limits', () => {
  const notes = new FakeUpstream();
  let gw: GatewayHarness;

  beforeAll(async () => {
    await notes.start();
    notes.handler = (req, res) =>
      res
        .writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' })
        .end('{"items":[]}');
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: notes.url,
      MEDIA_URL: notes.url,
      RATE_LIMIT_LOGIN_PER_MINUTE: '3',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
  });

  it('lets admins create, list and revoke tokens; the secret is shown once', async () => {
    const created = await gw
      .http()
      .post('/api/v1/tokens')
      .set('authorization', bootstrap)
      .send({ name: 'ci', role: 'editor' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^lat_[\w-]{43}$/);
    const token = created.body.token as string;

    const list = await gw.http().get('/api/v1/tokens').set('authorization', bootstrap);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ name: 'ci', role: 'editor', revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(token);

    const used = await gw
      .http()
      .post('/api/v1/notes')
      .set('authorization', `Bearer ${token}`)
      .send({ title: 't', body: 'b' });
    expect(used.status).toBe(201);
    const notAdmin = await gw.http().get('/api/v1/tokens').set('authorization', `Bearer ${token}`);
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body.error.code).toBe('forbidden');

    const revoked = await gw
      .http()
      .delete(`/api/v1/tokens/${created.body.id}`)
      .set('authorization', bootstrap);
    expect(revoked.status).toBe(204);
    const after = await gw.http().get('/api/v1/notes').set('authorization', `Bearer ${token}`);
    expect(after.status).toBe(401);
    const again = await gw
      .http()
      .delete(`/api/v1/tokens/${created.body.id}`)
      .set('authorization', bootstrap);
    expect(again.status).toBe(404);
    const nonsense = await gw
      .http()
      .delete('/api/v1/tokens/not-a-uuid')
      .set('authorization', bootstrap);
    expect(nonsense.status).toBe(404);
  });

  it('lets readers read but not write (403), for tokens and sessions alike', async () => {
    const user = await gw.http().post('/api/v1/users').set('authorization', bootstrap).send({
      email: 'rita@example.test',
      name: 'Rita',
      role: 'reader',
      password: 'reader-password-1',
    });
    expect(user.status).toBe(201);
    const { cookie, csrf } = await signIn(gw, 'rita@example.test', 'reader-password-1');
    const read = await gw.http().get('/api/v1/notes').set('cookie', cookie);
    expect(read.status).toBe(200);
    const write = await gw
      .http()
      .post('/api/v1/notes')
      .set('cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ title: 'x', body: 'y' });
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('forbidden');

    const token = await gw
      .http()
      .post('/api/v1/tokens')
      .set('authorization', bootstrap)
      .send({ name: 'rita', role: 'admin', ownerId: user.body.id });
    const asReader = await gw
      .http()
      .get('/api/v1/tokens')
      .set('authorization', `Bearer ${token.body.token}`);
    expect(asReader.status).toBe(403);
    const upload = await gw
      .http()
      .post('/api/v1/media')
      .set('authorization', `Bearer ${token.body.token}`)
      .attach('file', Buffer.from('x'), 'x.png');
    expect(upload.status).toBe(403);

    const duplicate = await gw
      .http()
      .post('/api/v1/users')
      .set('authorization', bootstrap)
      .send({ email: 'RITA@example.test', name: 'R2' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('email_taken');
  });

  it("stops a person's API token working once their account is disabled", async () => {
    const user = await gw
      .http()
      .post('/api/v1/users')
      .set('authorization', bootstrap)
      .send({ email: 'dora@example.test', name: 'Dora', role: 'editor' });
    const token = await gw
      .http()
      .post('/api/v1/tokens')
      .set('authorization', bootstrap)
      .send({ name: 'dora-ci', role: 'editor', ownerId: user.body.id });
    const me = await gw.http().get('/api/v1/me').set('authorization', `Bearer ${token.body.token}`);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: user.body.id, name: 'Dora', role: 'editor' });

    const disabled = await gw
      .http()
      .patch(`/api/v1/users/${user.body.id}`)
      .set('authorization', bootstrap)
      .send({ disabled: true });
    expect(disabled.status).toBe(200);
    const after = await gw
      .http()
      .get('/api/v1/me')
      .set('authorization', `Bearer ${token.body.token}`);
    expect(after.status).toBe(401);
  });

  it('signs in through the HTML form with redirects and signs out', async () => {
    const ok = await gw
      .http()
      .post('/login')
      .type('form')
      .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, next: '/notes/x' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/notes/x');
    const cookieLine = ([] as string[]).concat(ok.headers['set-cookie'] ?? [])[0]!;
    expect(cookieLine).toMatch(/^lateral_session=[\w-]{43};/);
    expect(cookieLine).toMatch(/HttpOnly/);
    expect(cookieLine).toMatch(/SameSite=Lax/);
    expect(cookieLine).toMatch(/Path=\//);
    const cookie = cookieLine.split(';')[0]!;

    const offsite = await gw
      .http()
      .post('/login')
      .type('form')
      .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, next: '//evil.example' });
    expect(offsite.headers.location).toBe('/');

    const session = await gw.http().get('/api/v1/session').set('cookie', cookie);
    const logoutWithoutToken = await gw
      .http()
      .post('/logout')
      .type('form')
      .set('cookie', cookie)
      .send({});
    expect(logoutWithoutToken.status).toBe(403);
    const logout = await gw
      .http()
      .post('/logout')
      .type('form')
      .set('cookie', cookie)
      .send({ _csrf: session.body.csrfToken });
    expect(logout.status).toBe(303);
    expect(logout.headers.location).toBe('/login');
    expect((await gw.http().get('/api/v1/me').set('cookie', cookie)).status).toBe(401);
  });

  it('lets people change their own password, knowing the current one', async () => {
    await gw
      .http()
      .post('/api/v1/users')
      .set('authorization', bootstrap)
      .send({ email: 'pat@example.test', name: 'Pat', password: 'first-password-1' });
    const { cookie, csrf } = await signIn(gw, 'pat@example.test', 'first-password-1');
    const wrong = await gw
      .http()
      .post('/api/v1/me/password')
      .set('cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ currentPassword: 'nope', newPassword: 'second-password-2' });
    expect(wrong.status).toBe(401);
    const short = await gw
      .http()
      .post('/api/v1/me/password')
      .set('cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ currentPassword: 'first-password-1', newPassword: 'short' });
    expect(short.status).toBe(400);
    const ok = await gw
      .http()
      .post('/api/v1/me/password')
      .set('cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ currentPassword: 'first-password-1', newPassword: 'second-password-2' });
    expect(ok.status).toBe(204);
    await expect(signIn(gw, 'pat@example.test', 'second-password-2')).resolves.toBeDefined();
  });

  it('refuses cross-site form posts even before the password is checked', async () => {
    const res = await gw
      .http()
      .post('/login')
      .type('form')
      .set('origin', 'https://evil.example')
      .set('sec-fetch-site', 'cross-site')
      .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('sends browsers that are not signed in to the login page, and API clients a 401', async () => {
    const page = await gw.http().get('/').set('accept', 'text/html');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2F');
    const api = await gw.http().get('/api/v1/me').set('accept', 'text/html');
    expect(api.status).toBe(401);
  });

  it('rate limits sign-in attempts per client with 429 and Retry-After', async () => {
    const attempt = () =>
      gw.http().post('/login').send({ email: 'who@example.test', password: 'wrong' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt()).status);
    expect(statuses).toContain(429);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const form = await gw
      .http()
      .post('/login')
      .type('form')
      .send({ email: 'x@example.test', password: 'y' });
    expect(form.status).toBe(303);
    expect(form.headers.location).toMatch(/^\/login\?error=rate_limited/);
    const metrics = await gw.metrics.registry.metrics();
    expect(metrics).toMatch(/lateral_rate_limited_total\{[^}]*scope="login"[^}]*\} [1-9]/);
    expect(metrics).toMatch(
      /lateral_auth_logins_total\{[^}]*method="local",result="failure"[^}]*\} [1-9]/,
    );
  });

  it('answers the Kubernetes probes without credentials', async () => {
    expect((await gw.http().get('/healthz')).status).toBe(200);
    const ready = await gw.http().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok' });
  });

  it('sets security headers on every answer', async () => {
    const res = await gw.http().get('/healthz');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
});
