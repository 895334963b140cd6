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

/** Issue #10: password change ends other sessions and is attempt-limited; login `next` is safe. */
describe('sessions, password changes and the login redirect', () => {
  const upstream = new FakeUpstream();
  let gw: GatewayHarness;

  beforeAll(async () => {
    await upstream.start();
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: upstream.url,
      MEDIA_URL: upstream.url,
      RATE_LIMIT_LOGIN_PER_MINUTE: '100',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await upstream.stop();
  });

  async function aPerson(email: string, password: string): Promise<void> {
    const res = await gw
      .http()
      .post('/api/v1/users')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .send({ email, name: email, password });
    expect(res.status).toBe(201);
  }

  const me = (cookie: string) => gw.http().get('/api/v1/me').set('cookie', cookie);
  const changePassword = (
    session: { cookie: string; csrf: string },
    currentPassword: string,
    newPassword: string,
  ) =>
    gw
      .http()
      .post('/api/v1/me/password')
      .set('cookie', session.cookie)
      .set('x-csrf-token', session.csrf)
      .send({ currentPassword, newPassword });

  it('ends every other session of the person and rotates the current one', async () => {
    await aPerson('two@example.test', 'first-password-1');
    const laptop = await signIn(gw, 'two@example.test', 'first-password-1');
    const phone = await signIn(gw, 'two@example.test', 'first-password-1');
    const admin = await signIn(gw);
    expect((await me(phone.cookie)).status).toBe(200);

    const res = await changePassword(laptop, 'first-password-1', 'second-password-2');
    expect(res.status).toBe(204);
    const rotated = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    expect(rotated).toMatch(/lateral_session=/);
    expect(rotated).not.toBe(laptop.cookie);

    expect((await me(phone.cookie)).status).toBe(401);
    expect((await me(laptop.cookie)).status).toBe(401);
    const still = await me(rotated);
    expect([still.status, still.body.user?.email]).toEqual([200, 'two@example.test']);
    // Someone else's session is not touched.
    expect((await me(admin.cookie)).status).toBe(200);
  });

  it('limits wrong current passwords per person: 429 with Retry-After, even for the right one', async () => {
    await aPerson('guess@example.test', 'guessed-password-1');
    const session = await signIn(gw, 'guess@example.test', 'guessed-password-1');
    for (let i = 0; i < 5; i++) {
      const wrong = await changePassword(session, `wrong-${i}`, 'another-password-9');
      expect(wrong.status).toBe(401);
    }
    const limited = await changePassword(session, 'guessed-password-1', 'another-password-9');
    expect([limited.status, limited.body.error.code]).toEqual([429, 'rate_limited']);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(60);
    // A second session of the same person shares the budget; the password is unchanged.
    const other = await signIn(gw, 'guess@example.test', 'guessed-password-1');
    expect((await changePassword(other, 'wrong-again', 'another-password-9')).status).toBe(429);
  });

  it('falls back to / for a `next` with control characters, and signs in cleanly', async () => {
    for (const next of ['/a\u0001b', '/x\u007f', '/ok\u001b[31m']) {
      const res = await gw
        .http()
        .post('/login')
        .type('form')
        .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, next });
      // Form validation may refuse the control character first (back to the login page, no
      // session); otherwise the sign-in goes through to `/`. Never a 500, never half a session.
      expect(res.status).toBe(303);
      const session = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join(';');
      if (res.headers.location === '/') expect(session).toMatch(/lateral_session=/);
      else {
        expect(res.headers.location).toMatch(/^\/login\?error=/);
        expect(session).not.toMatch(/lateral_session=[^;]/);
      }
    }
  });

  it('percent-encodes a non-ASCII `next` in Location', async () => {
    const res = await gw
      .http()
      .post('/login')
      .type('form')
      .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, next: '/notes/Café Crème' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/notes/Caf%C3%A9%20Cr%C3%A8me');
    const json = await gw
      .http()
      .post('/login')
      .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, next: '/notes/日本' });
    expect([json.status, json.body.next]).toEqual([200, '/notes/%E6%97%A5%E6%9C%AC']);
  });
});
