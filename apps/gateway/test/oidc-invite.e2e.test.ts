// An invitee who signs up with the identity provider instead of a password (#12), against a real
// oidc-provider: the account gets the invite's e-mail and role and is linked to that provider
// account; the invite then works no more, and a provider account that already has an account
// here cannot use an invite for a second one.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { BOOTSTRAP_TOKEN, startGateway, type GatewayHarness } from './gateway-harness.js';
import { PUBLIC_URL, startTestProvider, throughProvider } from './oidc-test-provider.js';

const NAMES: Record<string, string> = { 'sub-olga': 'Olga Okafor', 'sub-pia': 'Pia Park' };

describe('accepting an invite with single sign-on', () => {
  let provider: { issuer: string; close(): Promise<void> };
  let gw: GatewayHarness;
  const notes = new FakeUpstream();

  beforeAll(async () => {
    provider = await startTestProvider((sub) => ({
      email: `${sub}@idp.example`,
      email_verified: true,
      name: NAMES[sub],
    }));
    await notes.start();
    gw = await startGateway(inject('postgresAdminUrl'), {
      PUBLIC_URL,
      NOTES_URL: notes.url,
      MEDIA_URL: notes.url,
      OIDC_ISSUER_URL: provider.issuer,
      OIDC_CLIENT_ID: 'lateral',
      OIDC_CLIENT_SECRET: 'lateral-client-secret',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
    await provider?.close();
  });

  async function invite(email: string, role: string): Promise<string> {
    const res = await gw
      .http()
      .post('/api/v1/invites')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .send({ email, role });
    return res.body.token as string;
  }

  /** Starts at the invite page's SSO button and answers the gateway's callback response. */
  async function signUp(token: string, login: string) {
    const page = await gw.http().get(`/invite/${token}`);
    expect(page.text).toContain(`/auth/oidc/login?invite=${token}`);
    const start = await gw.http().get(`/auth/oidc/login?invite=${token}`);
    expect(start.status).toBe(302);
    const flowCookies = ([] as string[])
      .concat(start.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    expect(flowCookies).not.toContain(token);
    const callback = new URL(await throughProvider(start.headers.location as string, login));
    return gw
      .http()
      .get(callback.pathname + callback.search)
      .set('accept', 'text/html')
      .set('cookie', flowCookies);
  }

  const sessionOf = (res: { headers: Record<string, unknown> }) =>
    ([] as string[])
      .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
      .find((c) => /^lateral_session=[^;]/.test(c))
      ?.split(';')[0];

  it('creates the invited account with its role, linked to the provider account, once', async () => {
    const token = await invite('olga@example.test', 'reader');
    const done = await signUp(token, 'sub-olga');
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/');
    const me = await gw.http().get('/api/v1/me').set('cookie', sessionOf(done)!);
    expect(me.body.user).toMatchObject({
      email: 'olga@example.test',
      role: 'reader',
      name: 'Olga Okafor',
    });

    // The account is linked to the provider account and has no password.
    const users = await gw
      .http()
      .get('/api/v1/users?q=olga')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`);
    expect(users.body.items).toHaveLength(1);
    expect(users.body.items[0]).toMatchObject({ oidc: true, hasPassword: false });

    const reused = await gw.http().get(`/invite/${token}`);
    expect(reused.status).toBe(410);
  });

  it('refuses a provider account that already has an account here, and leaves the invite usable', async () => {
    const first = await signUp(await invite('pia@example.test', 'editor'), 'sub-pia');
    expect(first.status).toBe(303);
    const second = await invite('pia-again@example.test', 'admin');
    const refused = await signUp(second, 'sub-pia');
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toMatch(/^\/login\?error=oidc_failed/);
    expect(sessionOf(refused)).toBeUndefined();
    expect((await gw.http().get(`/invite/${second}`)).status).toBe(200);
  });

  it('refuses a forged invite token before leaving for the provider', async () => {
    const res = await gw
      .http()
      .get('/auth/oidc/login?invite=inv_forged')
      .set('accept', 'application/json');
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('invite_invalid');
  });
});
