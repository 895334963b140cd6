// An invitee who signs up with the identity provider instead of a password (#12), against a real
// oidc-provider: the account gets the invite's e-mail and role and is linked to that provider
// account; the invite then works no more, and a provider account that already has an account
// here cannot use an invite for a second one.
import { createServer, type Server } from 'node:http';
import { freePort } from '@lateral/testing';
import Provider from 'oidc-provider';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { BOOTSTRAP_TOKEN, startGateway, type GatewayHarness } from './gateway-harness.js';

const PUBLIC_URL = 'http://127.0.0.1:8080';
const NAMES: Record<string, string> = { 'sub-olga': 'Olga Okafor', 'sub-pia': 'Pia Park' };

/** Follows the provider's redirects and login form by hand, keeping its cookies. */
async function throughProvider(authUrl: string, login: string): Promise<string> {
  const cookies = new Map<string, string>();
  const fetchPage = async (url: string, form?: Record<string, string>) => {
    const res = await undiciRequest(url, {
      method: form ? 'POST' : 'GET',
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    const location = res.headers.location as string | undefined;
    return {
      status: res.statusCode,
      location: location && new URL(location, url).toString(),
      text: await res.body.text(),
    };
  };
  let step = await fetchPage(authUrl);
  for (let hops = 0; hops < 10 && step.location && !step.location.startsWith(PUBLIC_URL); hops++) {
    const page = await fetchPage(step.location);
    if (page.status === 200 && /\/interaction\//.test(step.location)) {
      const prompt = /name="prompt" value="(\w+)"/.exec(page.text)?.[1] ?? 'login';
      step = await fetchPage(
        step.location,
        prompt === 'login' ? { prompt, login, password: 'x' } : { prompt },
      );
    } else {
      step = page;
    }
  }
  if (!step.location?.startsWith(`${PUBLIC_URL}/auth/oidc/callback?`))
    throw new Error('no callback');
  return step.location;
}

describe('accepting an invite with single sign-on', () => {
  let server: Server;
  let gw: GatewayHarness;
  const notes = new FakeUpstream();

  beforeAll(async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'lateral',
          client_secret: 'lateral-client-secret',
          redirect_uris: [`${PUBLIC_URL}/auth/oidc/callback`],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      pkce: { methods: ['S256'], required: () => true },
      cookies: { keys: ['test-cookie-key'] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      findAccount: (_ctx, sub) => ({
        accountId: sub,
        claims: () => ({
          sub,
          email: `${sub}@idp.example`,
          email_verified: true,
          name: NAMES[sub],
        }),
      }),
    });
    server = createServer(provider.callback());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await notes.start();
    gw = await startGateway(inject('postgresAdminUrl'), {
      PUBLIC_URL,
      NOTES_URL: notes.url,
      MEDIA_URL: notes.url,
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: 'lateral',
      OIDC_CLIENT_SECRET: 'lateral-client-secret',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
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
