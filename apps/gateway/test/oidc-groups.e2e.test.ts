// Roles from the identity provider's groups claim (#12), against a real oidc-provider: with
// OIDC_*_GROUPS set, every sign-in sets the role from the person's groups (the highest match,
// else OIDC_DEFAULT_ROLE), and a changed role ends the person's other sessions.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { BOOTSTRAP_TOKEN, startGateway, type GatewayHarness } from './gateway-harness.js';
import { PUBLIC_URL, startTestProvider, throughProvider } from './oidc-test-provider.js';

const groups = new Map<string, unknown>();

describe('roles from the groups claim', () => {
  let provider: { issuer: string; close(): Promise<void> };
  let gw: GatewayHarness;
  const notes = new FakeUpstream();

  beforeAll(async () => {
    provider = await startTestProvider(
      (sub) => ({
        email: `${sub}@idp.example`,
        email_verified: true,
        name: sub,
        groups: groups.get(sub),
      }),
      { groups: ['groups'] },
    );
    await notes.start();
    gw = await startGateway(inject('postgresAdminUrl'), {
      PUBLIC_URL,
      NOTES_URL: notes.url,
      MEDIA_URL: notes.url,
      OIDC_ISSUER_URL: provider.issuer,
      OIDC_CLIENT_ID: 'lateral',
      OIDC_CLIENT_SECRET: 'lateral-client-secret',
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_DEFAULT_ROLE: 'reader',
      OIDC_ADMIN_GROUPS: 'wiki-admins',
      OIDC_EDITOR_GROUPS: 'engineering, docs',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
    await provider?.close();
  });

  /** Signs in through the provider as `sub`; answers the session cookie. */
  async function signInAs(sub: string): Promise<string> {
    const start = await gw.http().get('/auth/oidc/login');
    expect(start.status).toBe(302);
    const location = start.headers.location as string;
    expect(new URL(location).searchParams.get('scope')).toBe('openid email profile groups');
    const flow = ([] as string[])
      .concat(start.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const callback = new URL(await throughProvider(location, sub));
    const done = await gw
      .http()
      .get(callback.pathname + callback.search)
      .set('accept', 'text/html')
      .set('cookie', flow);
    expect(done.status).toBe(303);
    const session = ([] as string[])
      .concat(done.headers['set-cookie'] ?? [])
      .find((c) => /^lateral_session=[^;]/.test(c));
    return session!.split(';')[0]!;
  }

  const roleOf = async (cookie: string) =>
    (await gw.http().get('/api/v1/me').set('cookie', cookie)).body as {
      user?: { role: string };
    };

  it('sets the role from the groups at every sign-in and ends the sessions a change outdates', async () => {
    groups.set('sub-gus', ['sales', 'engineering']);
    const first = await signInAs('sub-gus');
    expect((await roleOf(first)).user?.role).toBe('editor');

    groups.set('sub-gus', ['engineering', 'wiki-admins']);
    const second = await signInAs('sub-gus');
    expect((await roleOf(second)).user?.role).toBe('admin');
    expect((await gw.http().get('/api/v1/me').set('cookie', first)).status).toBe(401);

    groups.set('sub-gus', 'docs');
    expect((await roleOf(await signInAs('sub-gus'))).user?.role).toBe('editor');
    groups.set('sub-gus', []);
    expect((await roleOf(await signInAs('sub-gus'))).user?.role).toBe('reader');
  });

  it('gives the default role to someone in none of the groups', async () => {
    expect((await roleOf(await signInAs('sub-hal'))).user?.role).toBe('reader');
  });

  it('never takes the role of the last active admin: that person signs in and stays admin', async () => {
    groups.set('sub-ivy', ['wiki-admins']);
    expect((await roleOf(await signInAs('sub-ivy'))).user?.role).toBe('admin');
    // Every other admin is disabled (or demoted): Ivy is the last one.
    const bootstrap = { authorization: `Bearer ${BOOTSTRAP_TOKEN}` };
    const users = await gw.http().get('/api/v1/users?limit=200').set(bootstrap);
    for (const u of users.body.items as { id: string; email: string; role: string }[]) {
      if (u.role === 'admin' && u.email !== 'sub-ivy@idp.example') {
        await gw.http().patch(`/api/v1/users/${u.id}`).set(bootstrap).send({ disabled: true });
      }
    }
    groups.set('sub-ivy', ['engineering']);
    const cookie = await signInAs('sub-ivy');
    expect((await roleOf(cookie)).user?.role).toBe('admin');
  });
});
