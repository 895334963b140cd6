import { createServer, type Server } from 'node:http';
import { freePort } from '@lateral/testing';
import Provider from 'oidc-provider';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { ADMIN_EMAIL, signIn, startGateway, type GatewayHarness } from './gateway-harness.js';

const PUBLIC_URL = 'http://127.0.0.1:8080';
const ACCOUNTS: Record<string, { email: string; name: string }> = {
  'sub-ana': { email: 'ana@example.test', name: 'Ana Lima' },
  // Anyone who can get the admin's address verified at the provider.
  'sub-admin': { email: ADMIN_EMAIL, name: 'Claims To Be Admin' },
};

/** Just enough of a browser: cookies by name, redirects followed by hand. */
class Browser {
  private readonly cookies = new Map<string, string>();

  remember(setCookie: string | string[] | undefined): void {
    for (const line of ([] as string[]).concat(setCookie ?? [])) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async fetch(url: string, form?: Record<string, string>) {
    const res = await undiciRequest(url, {
      method: form ? 'POST' : 'GET',
      headers: {
        cookie: this.cookieHeader,
        accept: 'text/html',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    this.remember(res.headers['set-cookie']);
    const text = await res.body.text();
    const location = res.headers.location as string | undefined;
    return {
      status: res.statusCode,
      location: location && new URL(location, url).toString(),
      text,
    };
  }
}

describe('OpenID Connect sign-in against a real oidc-provider', () => {
  let issuer: string;
  let server: Server;
  let gw: GatewayHarness;
  const notes = new FakeUpstream();

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
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
          email: ACCOUNTS[sub]?.email,
          email_verified: true,
          name: ACCOUNTS[sub]?.name,
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
      OIDC_DEFAULT_ROLE: 'editor',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Runs the whole browser dance and returns the gateway's final answer to the callback. */
  async function signInThroughProvider(
    next: string,
    options: { login?: string; link?: boolean; cookie?: string } = {},
  ) {
    const browser = new Browser();
    const link = options.link ? '&link=1' : '';
    const start = await gw
      .http()
      .get(`/auth/oidc/login?next=${encodeURIComponent(next)}${link}`)
      .set('cookie', options.cookie ?? '');
    expect(start.status).toBe(302);
    const gatewayCookies = ([] as string[]).concat(start.headers['set-cookie'] ?? []);
    const authUrl = new URL(start.headers.location as string);
    expect(authUrl.origin).toBe(issuer);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('state')).toBeTruthy();
    expect(authUrl.searchParams.get('nonce')).toBeTruthy();

    let step = await browser.fetch(authUrl.toString());
    for (
      let hops = 0;
      hops < 10 && step.location && !step.location.startsWith(PUBLIC_URL);
      hops++
    ) {
      const page = await browser.fetch(step.location);
      if (page.status === 200 && /\/interaction\//.test(step.location)) {
        const prompt = /name="prompt" value="(\w+)"/.exec(page.text)?.[1] ?? 'login';
        step = await browser.fetch(
          step.location,
          prompt === 'login'
            ? { prompt, login: options.login ?? 'sub-ana', password: 'x' }
            : { prompt },
        );
      } else {
        step = page;
      }
    }
    expect(step.location).toMatch(/^http:\/\/127\.0\.0\.1:8080\/auth\/oidc\/callback\?/);
    const callback = new URL(step.location!);
    return gw
      .http()
      .get(callback.pathname + callback.search)
      .set('accept', 'text/html')
      .set(
        'cookie',
        [...gatewayCookies.map((c) => c.split(';')[0]), ...(options.cookie ? [options.cookie] : [])]
          .filter(Boolean)
          .join('; '),
      );
  }

  const sessionOf = (res: { headers: Record<string, unknown> }) =>
    ([] as string[])
      .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
      .find((c) => /^lateral_session=[^;]/.test(c))
      ?.split(';')[0];

  it('signs a person in with code + PKCE + state + nonce and creates them by subject', async () => {
    const done = await signInThroughProvider('/notes/welcome');
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/notes/welcome');
    const session = ([] as string[])
      .concat(done.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('lateral_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    const me = await gw.http().get('/api/v1/me').set('cookie', session.split(';')[0]!);
    expect(me.body.user).toMatchObject({
      email: 'ana@example.test',
      name: 'Ana Lima',
      role: 'editor',
    });

    const again = await signInThroughProvider('/');
    const session2 = ([] as string[])
      .concat(again.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('lateral_session='))!;
    const me2 = await gw.http().get('/api/v1/me').set('cookie', session2.split(';')[0]!);
    expect(me2.body.user.id).toBe(me.body.user.id);
    const metrics = await gw.metrics.registry.metrics();
    expect(metrics).toMatch(
      /lateral_auth_logins_total\{[^}]*method="oidc",result="success"[^}]*\} 2/,
    );
  });

  it('refuses a callback whose state does not match the flow cookie', async () => {
    const start = await gw.http().get('/auth/oidc/login');
    const cookie = ([] as string[]).concat(start.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    const forged = await gw
      .http()
      .get('/auth/oidc/callback?code=abc&state=not-the-state')
      .set('cookie', cookie)
      .set('accept', 'text/html');
    expect(forged.status).toBe(303);
    expect(forged.headers.location).toMatch(/^\/login\?error=oidc_failed/);
    const api = await gw.http().get('/auth/oidc/callback?code=abc&state=x');
    expect(api.status).toBe(400);
    expect(api.body.error.code).toBe('oidc_failed');
  });

  it('never links a provider account to a local account by e-mail alone (admin takeover)', async () => {
    const done = await signInThroughProvider('/', { login: 'sub-admin' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toMatch(/^\/login\?error=oidc_link_required/);
    expect(sessionOf(done)).toBeUndefined();
    const page = await gw
      .http()
      .get(done.headers.location as string)
      .set('accept', 'text/html');
    expect(page.text).toContain('An account with this e-mail already exists');
  });

  it('links explicitly for the signed-in person, who then signs in through the provider', async () => {
    const { cookie } = await signIn(gw);
    const linked = await signInThroughProvider('/notes/linked', {
      login: 'sub-admin',
      link: true,
      cookie,
    });
    expect([linked.status, linked.headers.location]).toEqual([303, '/notes/linked']);
    const later = await signInThroughProvider('/', { login: 'sub-admin' });
    const me = await gw.http().get('/api/v1/me').set('cookie', sessionOf(later)!);
    expect(me.body.user).toMatchObject({ email: ADMIN_EMAIL, role: 'admin' });
    const anonymous = await gw.http().get('/auth/oidc/login?link=1');
    expect(anonymous.status).toBe(401);
  });
});
