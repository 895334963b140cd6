import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { BOOTSTRAP_TOKEN, signIn, startGateway, type GatewayHarness } from './gateway-harness.js';

// People (#12): invites, reset links, admin pages, settings and personal API tokens, through
// HTTP on the real gateway and its PostgreSQL; notes is a stand-in answering every call.
const bootstrap = `Bearer ${BOOTSTRAP_TOKEN}`;
const PASSWORD = 'a long enough password';

function cookieOf(res: { headers: Record<string, unknown> }): string {
  return ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
}

function linkToken(body: string, kind: 'invite' | 'reset'): string {
  const match = new RegExp(`/${kind}/((?:inv|rst)_[\\w-]{43})`).exec(body);
  if (!match) throw new Error(`no ${kind} link in the page`);
  return match[1]!;
}

describe('people: invites, reset links, admin pages, settings, personal tokens', () => {
  const notes = new FakeUpstream();
  let gw: GatewayHarness;
  let admin: { cookie: string; csrf: string };

  const sql = (query: string, params: unknown[] = []): Promise<unknown> =>
    gw.app.get(DataSource).query(query, params);
  const ids = (body: unknown) => (body as { items: { id: string }[] }).items.map((i) => i.id);
  const emails = (body: unknown) =>
    (body as { items: { email: string }[] }).items.map((i) => i.email);

  async function inviteByApi(email: string, role: string) {
    const res = await gw
      .http()
      .post('/api/v1/invites')
      .set('authorization', bootstrap)
      .send({ email, role });
    expect(res.status).toBe(201);
    return res.body as { id: string; token: string; url: string; expiresAt: string };
  }

  /** An account for automation (no password) and a token an admin made for it. */
  async function serviceAccountToken(
    account: { email: string; name: string; role: string },
    token: { name: string; role: string; expiresInDays: number },
  ) {
    const bot = await gw.http().post('/api/v1/users').set('authorization', bootstrap).send(account);
    expect(bot.status).toBe(201);
    const made = await gw
      .http()
      .post(`/api/v1/users/${bot.body.id}/tokens`)
      .set('authorization', bootstrap)
      .send(token);
    expect(made.status).toBe(201);
    return { bot, token: made };
  }

  async function newPerson(email: string, role: string) {
    const invite = await inviteByApi(email, role);
    const res = await gw
      .http()
      .post(`/api/v1/invites/${invite.token}/accept`)
      .send({ name: email.split('@')[0], password: PASSWORD });
    expect(res.status).toBe(201);
    return { id: res.body.user.id as string, ...(await signIn(gw, email, PASSWORD)) };
  }

  beforeAll(async () => {
    await notes.start();
    notes.handler = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: notes.url,
      MEDIA_URL: notes.url,
    });
    admin = await signIn(gw);
  });
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
  });

  it('invites by API: the link signs the invitee up with the role, once; the row keeps only a hash', async () => {
    const invite = await inviteByApi('Ivy@Example.test', 'reader');
    expect(invite.url).toBe(`http://127.0.0.1:8080/invite/${invite.token}`);
    const days = (Date.parse(invite.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    const rows = (await sql('SELECT * FROM invites WHERE id = $1', [invite.id])) as Record<
      string,
      unknown
    >[];
    expect(JSON.stringify(rows)).not.toContain(invite.token);
    expect(rows[0]).toMatchObject({ email: 'ivy@example.test', role: 'reader' });

    const listed = await gw.http().get('/api/v1/invites').set('authorization', bootstrap);
    expect(ids(listed.body)).toContain(invite.id);
    expect(JSON.stringify(listed.body)).not.toContain(invite.token);

    const accepted = await gw
      .http()
      .post(`/api/v1/invites/${invite.token}/accept`)
      .send({ name: 'Ivy', password: PASSWORD });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({
      email: 'ivy@example.test',
      role: 'reader',
      name: 'Ivy',
    });
    const me = await gw.http().get('/api/v1/me').set('cookie', cookieOf(accepted));
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ name: 'Ivy', role: 'reader' });

    const again = await gw
      .http()
      .post(`/api/v1/invites/${invite.token}/accept`)
      .send({ name: 'Mallory', password: PASSWORD });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('invite_invalid');
    const page = await gw.http().get(`/invite/${invite.token}`).set('accept', 'text/html');
    expect(page.status).toBe(410);
    expect(page.text).toContain('does not work any more');
  });

  it('refuses expired and withdrawn invites, and invites for a taken e-mail', async () => {
    const expired = await inviteByApi('late@example.test', 'editor');
    await sql(`UPDATE invites SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
      expired.id,
    ]);
    const late = await gw
      .http()
      .post(`/api/v1/invites/${expired.token}/accept`)
      .send({ name: 'Late', password: PASSWORD });
    expect(late.status).toBe(410);

    const withdrawn = await inviteByApi('gone@example.test', 'editor');
    const del = await gw
      .http()
      .delete(`/api/v1/invites/${withdrawn.id}`)
      .set('authorization', bootstrap);
    expect(del.status).toBe(204);
    const gone = await gw
      .http()
      .post(`/api/v1/invites/${withdrawn.token}/accept`)
      .send({ name: 'Gone', password: PASSWORD });
    expect(gone.status).toBe(410);

    const taken = await gw
      .http()
      .post('/api/v1/invites')
      .set('authorization', bootstrap)
      .send({ email: 'ADMIN@example.test', role: 'reader' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('email_taken');
    const forged = await gw
      .http()
      .post(`/api/v1/invites/inv_${'x'.repeat(43)}/accept`)
      .send({ name: 'X', password: PASSWORD });
    expect(forged.status).toBe(410);
  });

  it('invites from /admin/users: the link is shown once, the form signs the invitee in as an editor', async () => {
    const created = await gw
      .http()
      .post('/admin/invites')
      .type('form')
      .set('cookie', admin.cookie)
      .send({ _csrf: admin.csrf, email: 'eve@example.test', role: 'editor' });
    expect(created.status).toBe(201);
    const token = linkToken(created.text, 'invite');
    const again = await gw.http().get('/admin/users').set('cookie', admin.cookie);
    expect(again.text).toContain('eve@example.test');
    expect(again.text).not.toContain(token);

    const form = await gw.http().get(`/invite/${token}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('eve@example.test');
    const short = await gw
      .http()
      .post(`/invite/${token}`)
      .type('form')
      .send({ name: 'Eve', password: 'short' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('at least 12 characters');
    expect(short.text).toContain('value="Eve"');

    const done = await gw
      .http()
      .post(`/invite/${token}`)
      .type('form')
      .send({ name: 'Eve', password: PASSWORD });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/');
    const me = await gw.http().get('/api/v1/me').set('cookie', cookieOf(done));
    expect(me.body.user).toMatchObject({ name: 'Eve', role: 'editor', email: 'eve@example.test' });
  });

  it('a reset link sets the password once, ends the other sessions and signs the person in', async () => {
    const rob = await newPerson('rob@example.test', 'editor');
    const otherDevice = await signIn(gw, 'rob@example.test', PASSWORD);
    const link = await gw
      .http()
      .post(`/api/v1/users/${rob.id}/reset-link`)
      .set('authorization', bootstrap);
    expect(link.status).toBe(201);
    const minutes = (Date.parse(link.body.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(59);
    expect(minutes).toBeLessThan(61);
    const token = linkToken(link.body.url as string, 'reset');

    const page = await gw.http().get(`/reset/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('rob@example.test');
    const used = await gw
      .http()
      .post(`/reset/${token}`)
      .type('form')
      .send({ password: 'a brand new password' });
    expect(used.status).toBe(303);
    for (const session of [rob, otherDevice]) {
      expect((await gw.http().get('/api/v1/me').set('cookie', session.cookie)).status).toBe(401);
    }
    expect((await gw.http().get('/api/v1/me').set('cookie', cookieOf(used))).body.user.id).toBe(
      rob.id,
    );
    await signIn(gw, 'rob@example.test', 'a brand new password');
    const reused = await gw
      .http()
      .post(`/reset/${token}`)
      .type('form')
      .send({ password: 'another new password' });
    expect(reused.status).toBe(410);

    // From the admin page: the newest link is the only one that works.
    const fromPage = await gw
      .http()
      .post(`/admin/users/${rob.id}/reset-link`)
      .type('form')
      .set('cookie', admin.cookie)
      .send({ _csrf: admin.csrf });
    expect(fromPage.status).toBe(201);
    const first = linkToken(fromPage.text, 'reset');
    const second = linkToken(
      (await gw.http().post(`/api/v1/users/${rob.id}/reset-link`).set('authorization', bootstrap))
        .body.url,
      'reset',
    );
    expect((await gw.http().get(`/reset/${first}`)).status).toBe(410);
    expect((await gw.http().get(`/reset/${second}`)).status).toBe(200);
  });

  it('keeps admin pages and endpoints from non-admins', async () => {
    const ed = await newPerson('ed@example.test', 'editor');
    for (const path of ['/admin/users', '/admin/tokens']) {
      const page = await gw.http().get(path).set('cookie', ed.cookie).set('accept', 'text/html');
      expect(page.status).toBe(403);
    }
    const posts = [
      '/admin/invites',
      `/admin/users/${ed.id}/role`,
      `/admin/users/${ed.id}/reset-link`,
    ];
    for (const path of posts) {
      const res = await gw
        .http()
        .post(path)
        .type('form')
        .set('cookie', ed.cookie)
        .send({ _csrf: ed.csrf, role: 'admin', email: 'x@example.test' });
      expect(res.status).toBe(403);
    }
    const api = [
      gw.http().get('/api/v1/invites'),
      gw.http().post('/api/v1/invites').send({ email: 'x@example.test', role: 'admin' }),
      gw.http().get('/api/v1/users'),
      gw.http().get('/api/v1/tokens'),
      gw.http().patch(`/api/v1/users/${ed.id}`).send({ role: 'admin' }),
      gw.http().post(`/api/v1/users/${ed.id}/reset-link`),
      gw.http().post(`/api/v1/users/${ed.id}/tokens`).send({ name: 'x', role: 'admin' }),
    ];
    for (const call of api) {
      const res = await call.set('cookie', ed.cookie).set('x-csrf-token', ed.csrf);
      expect(res.status).toBe(403);
    }
    expect((await gw.http().get('/api/v1/me').set('cookie', ed.cookie)).body.user.role).toBe(
      'editor',
    );
    const nav = await gw.http().get('/settings').set('cookie', ed.cookie);
    expect(nav.text).toContain('href="/settings"');
    expect(nav.text).not.toContain('href="/admin/users"');
    const adminNav = await gw.http().get('/settings').set('cookie', admin.cookie);
    expect(adminNav.text).toContain('href="/admin/users"');
  });

  it('lets admins search and page people, change roles and disable accounts, but not their own', async () => {
    for (const name of ['zed-a', 'zed-b', 'zed-c'])
      await newPerson(`${name}@example.test`, 'reader');
    const page1 = await gw
      .http()
      .get('/api/v1/users?q=ZED-&limit=2')
      .set('authorization', bootstrap);
    expect(page1.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(emails(page1.body)).toEqual(['zed-a@example.test', 'zed-b@example.test']);
    const page2 = await gw
      .http()
      .get('/api/v1/users?q=zed-&limit=2&offset=2')
      .set('authorization', bootstrap);
    expect(emails(page2.body)).toEqual(['zed-c@example.test']);
    const wild = await gw.http().get('/api/v1/users?q=%25').set('authorization', bootstrap);
    expect(wild.body.total).toBe(0);
    const html = await gw.http().get('/admin/users?q=zed-b').set('cookie', admin.cookie);
    expect(html.text).toContain('zed-b@example.test');
    expect(html.text).not.toContain('zed-a@example.test');

    const zed = page1.body.items[0] as { id: string };
    const zedSession = await signIn(gw, 'zed-a@example.test', PASSWORD);
    const promoted = await gw
      .http()
      .post(`/admin/users/${zed.id}/role`)
      .type('form')
      .set('cookie', admin.cookie)
      .send({ _csrf: admin.csrf, role: 'editor' });
    expect(promoted.status).toBe(303);
    expect((await gw.http().get('/api/v1/me').set('cookie', zedSession.cookie)).status).toBe(401);
    const zedAgain = await signIn(gw, 'zed-a@example.test', PASSWORD);
    expect((await gw.http().get('/api/v1/me').set('cookie', zedAgain.cookie)).body.user.role).toBe(
      'editor',
    );
    const disabled = await gw
      .http()
      .post(`/admin/users/${zed.id}/disable`)
      .type('form')
      .set('cookie', admin.cookie)
      .send({ _csrf: admin.csrf });
    expect(disabled.status).toBe(303);
    expect(
      (await gw.http().post('/login').send({ email: 'zed-a@example.test', password: PASSWORD }))
        .status,
    ).toBe(401);
    await gw
      .http()
      .post(`/admin/users/${zed.id}/enable`)
      .type('form')
      .set('cookie', admin.cookie)
      .send({ _csrf: admin.csrf });
    await signIn(gw, 'zed-a@example.test', PASSWORD);

    const adminId = (await gw.http().get('/api/v1/me').set('cookie', admin.cookie)).body.user
      .id as string;
    const self = await gw
      .http()
      .patch(`/api/v1/users/${adminId}`)
      .set('cookie', admin.cookie)
      .set('x-csrf-token', admin.csrf)
      .send({ role: 'reader' });
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('self_change_refused');
    const selfPage = await gw
      .http()
      .post(`/admin/users/${adminId}/disable`)
      .type('form')
      .set('cookie', admin.cookie)
      .send({ _csrf: admin.csrf });
    expect(selfPage.status).toBe(409);
    expect(selfPage.text).toContain('cannot change your own role');
  });

  it('personal tokens: never above my role, the secret shown once, revoking stops it', async () => {
    const rae = await newPerson('rae@example.test', 'reader');
    const tooHigh = await gw
      .http()
      .post('/api/v1/me/tokens')
      .set('cookie', rae.cookie)
      .set('x-csrf-token', rae.csrf)
      .send({ name: 'ci', role: 'editor', expiresInDays: 30 });
    expect(tooHigh.status).toBe(403);
    expect(tooHigh.body.error.code).toBe('role_too_high');

    const created = await gw
      .http()
      .post('/api/v1/me/tokens')
      .set('cookie', rae.cookie)
      .set('x-csrf-token', rae.csrf)
      .send({ name: 'ci', role: 'reader', expiresInDays: 30 });
    expect(created.status).toBe(201);
    const secret = created.body.token as string;
    expect(created.body).toMatchObject({ role: 'reader', ownerId: rae.id });
    const mine = await gw.http().get('/api/v1/me/tokens').set('cookie', rae.cookie);
    expect(mine.body.items).toHaveLength(1);
    expect(JSON.stringify(mine.body)).not.toContain(secret);
    const asToken = await gw.http().get('/api/v1/me').set('authorization', `Bearer ${secret}`);
    expect(asToken.body.user.id).toBe(rae.id);
    const mint = await gw
      .http()
      .post('/api/v1/me/tokens')
      .set('authorization', `Bearer ${secret}`)
      .send({ name: 'longer', role: 'reader', expiresInDays: 365 });
    expect(mint.status).toBe(403);

    // Someone else's token cannot be revoked through /me/tokens.
    const ed = await signIn(gw, 'ed@example.test', PASSWORD);
    const notMine = await gw
      .http()
      .delete(`/api/v1/me/tokens/${created.body.id}`)
      .set('cookie', ed.cookie)
      .set('x-csrf-token', ed.csrf);
    expect(notMine.status).toBe(404);
    const revoked = await gw
      .http()
      .delete(`/api/v1/me/tokens/${created.body.id}`)
      .set('cookie', rae.cookie)
      .set('x-csrf-token', rae.csrf);
    expect(revoked.status).toBe(204);
    expect(
      (await gw.http().get('/api/v1/me').set('authorization', `Bearer ${secret}`)).status,
    ).toBe(401);

    // An expired token stops working.
    const short = await gw
      .http()
      .post('/api/v1/me/tokens')
      .set('cookie', rae.cookie)
      .set('x-csrf-token', rae.csrf)
      .send({ name: 'short', role: 'reader', expiresInDays: 1 });
    expect(
      (await gw.http().get('/api/v1/me').set('authorization', `Bearer ${short.body.token}`)).status,
    ).toBe(200);
    await sql(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      short.body.id,
    ]);
    expect(
      (await gw.http().get('/api/v1/me').set('authorization', `Bearer ${short.body.token}`)).status,
    ).toBe(401);
  });

  it('/settings: tokens (secret once, role choices, revoke), name, password ending other sessions', async () => {
    const sam = await newPerson('sam@example.test', 'editor');
    const page = await gw.http().get('/settings').set('cookie', sam.cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<option value="editor"');
    expect(page.text).not.toContain('<option value="admin"');

    const tooHigh = await gw
      .http()
      .post('/settings/tokens')
      .type('form')
      .set('cookie', sam.cookie)
      .send({ _csrf: sam.csrf, name: 'x', role: 'admin', expiresInDays: '30' });
    expect(tooHigh.status).toBe(403);
    expect(tooHigh.text).toContain('above yours');
    const unnamed = await gw
      .http()
      .post('/settings/tokens')
      .type('form')
      .set('cookie', sam.cookie)
      .send({ _csrf: sam.csrf, name: '', role: 'reader', expiresInDays: '30' });
    expect(unnamed.status).toBe(422);
    expect(unnamed.text).toContain('Name the token.');

    const created = await gw
      .http()
      .post('/settings/tokens')
      .type('form')
      .set('cookie', sam.cookie)
      .send({ _csrf: sam.csrf, name: 'deploy', role: 'editor', expiresInDays: '30' });
    expect(created.status).toBe(201);
    const secret = /value="(lat_[\w-]{43})"/.exec(created.text)?.[1];
    expect(secret).toBeDefined();
    const later = await gw.http().get('/settings').set('cookie', sam.cookie);
    expect(later.text).toContain('deploy');
    expect(later.text).not.toContain(secret!);
    const adminList = await gw.http().get('/admin/tokens').set('cookie', admin.cookie);
    expect(adminList.text).toContain('deploy');
    expect(adminList.text).toContain('sam@example.test');
    expect(adminList.text).not.toContain(secret!);
    const id = (await gw.http().get('/api/v1/me/tokens').set('cookie', sam.cookie)).body.items[0]
      .id as string;
    const revoke = await gw
      .http()
      .post(`/admin/tokens/${id}/revoke`)
      .type('form')
      .set('cookie', admin.cookie)
      .send({ _csrf: admin.csrf });
    expect(revoke.status).toBe(303);
    expect(
      (await gw.http().get('/api/v1/me').set('authorization', `Bearer ${secret}`)).status,
    ).toBe(401);

    const renamed = await gw
      .http()
      .post('/settings/name')
      .type('form')
      .set('cookie', sam.cookie)
      .send({ _csrf: sam.csrf, name: 'Samuel' });
    expect(renamed.status).toBe(303);
    expect((await gw.http().get('/api/v1/me').set('cookie', sam.cookie)).body.user.name).toBe(
      'Samuel',
    );
    const viaApi = await gw
      .http()
      .put('/api/v1/me')
      .set('cookie', sam.cookie)
      .set('x-csrf-token', sam.csrf)
      .send({ name: 'Sam' });
    expect(viaApi.body.user.name).toBe('Sam');

    const other = await signIn(gw, 'sam@example.test', PASSWORD);
    const wrong = await gw
      .http()
      .post('/settings/password')
      .type('form')
      .set('cookie', sam.cookie)
      .send({
        _csrf: sam.csrf,
        currentPassword: 'not it at all',
        newPassword: 'the next password',
      });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('current password is not right');
    const changed = await gw
      .http()
      .post('/settings/password')
      .type('form')
      .set('cookie', sam.cookie)
      .send({ _csrf: sam.csrf, currentPassword: PASSWORD, newPassword: 'the next password' });
    expect(changed.status).toBe(303);
    expect((await gw.http().get('/api/v1/me').set('cookie', other.cookie)).status).toBe(401);
    expect((await gw.http().get('/api/v1/me').set('cookie', cookieOf(changed))).status).toBe(200);
  });

  it('gives a service account a token from an admin (POST /api/v1/users/:id/tokens)', async () => {
    const { bot, token } = await serviceAccountToken(
      { email: 'bot@example.test', name: 'Deploy bot', role: 'editor' },
      { name: 'deploy', role: 'editor', expiresInDays: 90 },
    );
    expect(token.body).toMatchObject({ ownerId: bot.body.id, role: 'editor' });
    expect(token.body.expiresAt).not.toBeNull();
    const me = await gw.http().get('/api/v1/me').set('authorization', `Bearer ${token.body.token}`);
    expect(me.body.user).toMatchObject({ name: 'Deploy bot', role: 'editor' });
    const all = await gw.http().get('/api/v1/tokens').set('authorization', bootstrap);
    const items = (all.body as { items: { id: string; owner: unknown }[] }).items;
    expect(items.find((t) => t.id === token.body.id)?.owner).toMatchObject({
      name: 'Deploy bot',
      email: 'bot@example.test',
    });
  });

  it('lists every token with its last use and expiry, in the API and on /admin/tokens', async () => {
    const { token: made } = await serviceAccountToken(
      { email: 'backup-bot@example.test', name: 'Backup bot', role: 'reader' },
      { name: 'nightly-backup', role: 'reader', expiresInDays: 30 },
    );
    type Listed = { id: string; lastUsedAt: string | null; expiresAt: string | null };
    const listed = async () =>
      (
        (await gw.http().get('/api/v1/tokens').set('authorization', bootstrap)).body as {
          items: Listed[];
        }
      ).items.find((t) => t.id === made.body.id)!;
    /** The token's row on the admin page. */
    const row = async () => {
      const page = await gw.http().get('/admin/tokens').set('cookie', admin.cookie);
      const rows = page.text.split('<tr>').filter((r) => r.includes('nightly-backup'));
      expect(rows).toHaveLength(1);
      return rows[0]!;
    };

    const fresh = await listed();
    expect(fresh.lastUsedAt).toBeNull();
    const expiresIn = Date.parse(fresh.expiresAt!) - Date.now();
    expect(expiresIn).toBeGreaterThan(29 * 86_400_000);
    expect(expiresIn).toBeLessThanOrEqual(30 * 86_400_000);
    expect(await row()).toContain(`<time datetime="${fresh.expiresAt}"`);
    expect(await row()).toContain('—'); // never used

    const before = Date.now();
    const me = await gw
      .http()
      .get('/api/v1/me')
      .set('authorization', `Bearer ${made.body.token as string}`);
    expect(me.status).toBe(200);
    const used = await listed();
    expect(Date.parse(used.lastUsedAt!)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(used.lastUsedAt!)).toBeLessThanOrEqual(Date.now());
    const usedRow = await row();
    expect(usedRow).toContain(`<time datetime="${used.lastUsedAt}"`);
    expect(usedRow).not.toContain('—');
  });
});
