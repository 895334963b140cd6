// Mail (#12): with SMTP_URL set, invite and reset links are mailed through a real SMTP server
// (smtp-server on loopback, with a password), people ask for a reset link themselves on the
// sign-in page (same answer for any address, rate-limited), space admins invite into their space,
// and no log line ever holds a link. Notes is the in-memory stand-in (its spaces and members).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BOOTSTRAP_TOKEN, signIn, startGateway, type GatewayHarness } from './gateway-harness.js';
import { SmtpSink } from './smtp-sink.js';
import { FakeWiki } from './web/fake-wiki.js';

const bootstrap = `Bearer ${BOOTSTRAP_TOKEN}`;
const html = { accept: 'text/html' };
/** One-time links as they appear in mails and answers. */
const LINK = /http:\/\/127\.0\.0\.1:8080\/(?:invite|reset)\/(?:inv|rst)_[\w-]+/;

let smtp: SmtpSink;
let wiki: FakeWiki;
let gw: GatewayHarness;
const log: string[] = [];

beforeAll(async () => {
  smtp = new SmtpSink();
  await smtp.start();
  wiki = new FakeWiki();
  await wiki.start();
  gw = await startGateway(
    inject('postgresAdminUrl'),
    {
      NOTES_URL: wiki.url,
      MEDIA_URL: wiki.url,
      SMTP_URL: smtp.url,
      SMTP_FROM: 'Lateral <wiki@example.test>',
      RATE_LIMIT_RESET_REQUESTS_PER_HOUR: '5',
    },
    { log },
  );
});
afterAll(async () => {
  await gw?.close();
  await wiki?.stop();
  await smtp?.stop();
});

async function createUser(email: string, name: string, role = 'editor', password?: string) {
  const res = await gw
    .http()
    .post('/api/v1/users')
    .set('authorization', bootstrap)
    .send({ email, name, role, ...(password ? { password } : {}) });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

const linkIn = (text: string) => LINK.exec(text)?.[0];
const pathOf = (url: string) => new URL(url).pathname;

describe('mailing one-time links', () => {
  it('an invite is mailed to the invitee, and the mailed link signs them up', async () => {
    const res = await gw
      .http()
      .post('/api/v1/invites')
      .set('authorization', bootstrap)
      .send({ email: 'Newcomer@Example.test', role: 'editor' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: 'newcomer@example.test', mailed: true });
    const mail = await smtp.next((m) => m.to.includes('newcomer@example.test'));
    expect(mail.from).toBe('wiki@example.test');
    expect(mail.subject).toBe('Bootstrap token invited you to the wiki');
    expect(mail.text).toContain('as editor');
    expect(linkIn(mail.text)).toBe(res.body.url);

    const accepted = await gw
      .http()
      .post(`/api/v1/invites/${pathOf(res.body.url).split('/')[2]}/accept`)
      .send({ name: 'Newcomer', password: 'a long password for newcomer' });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ email: 'newcomer@example.test', role: 'editor' });
  });

  it('an admin’s reset link is mailed to the person; the admin page says so', async () => {
    const admin = await signIn(gw);
    const person = await createUser(
      'reset-me@example.test',
      'Reset Me',
      'editor',
      'old password 1234',
    );
    const page = await gw
      .http()
      .post(`/admin/users/${person.id}/reset-link`)
      .set('cookie', admin.cookie)
      .set(html)
      .type('form')
      .send({ _csrf: admin.csrf });
    expect(page.status).toBe(201);
    expect(page.text).toContain('Mailed to them.');
    const mail = await smtp.next((m) => m.to.includes('reset-me@example.test'));
    expect(mail.subject).toBe('Set a new password for the wiki');
    expect(mail.text).toContain('An admin of http://127.0.0.1:8080 sent you a link');
    expect(page.text).toContain(linkIn(mail.text)!);
  });
});

describe('forgot password', () => {
  it('mails a link to an active account with a password; says the same for any address', async () => {
    await createUser('forgetful@example.test', 'Forgetful', 'editor', 'forgotten password 1');
    const disabled = await createUser('gone@example.test', 'Gone', 'editor', 'gone password 1234');
    await gw
      .http()
      .patch(`/api/v1/users/${disabled.id}`)
      .set('authorization', bootstrap)
      .send({ disabled: true })
      .expect(200);
    await createUser('sso-only@example.test', 'Single Sign On');

    const login = await gw.http().get('/login').set(html);
    expect(login.text).toContain('href="/forgot"');
    const form = await gw.http().get('/forgot').set(html);
    expect(form.text).toContain('action="/forgot"');

    const ask = (email: string) => gw.http().post('/forgot').set(html).type('form').send({ email });
    const answers = [];
    for (const email of [
      'nobody@example.test',
      'gone@example.test',
      'sso-only@example.test',
      'Forgetful@example.test',
    ]) {
      const res = await ask(email);
      expect(res.status).toBe(200);
      // The same words for every address but the address itself.
      answers.push(res.text.split(email).join('<address>'));
    }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/a link to set a new\s+password is on its way/);

    const mail = await smtp.next((m) => m.to.includes('forgetful@example.test'));
    expect(mail.text).toContain('Someone (we hope you) asked to reset your password');
    // Only the real, active account with a password got a mail.
    const recipients = smtp.mails.flatMap((m) => m.to);
    expect(recipients).not.toContain('nobody@example.test');
    expect(recipients).not.toContain('gone@example.test');
    expect(recipients).not.toContain('sso-only@example.test');

    // The link sets the password and signs in.
    const link = pathOf(linkIn(mail.text)!);
    expect((await gw.http().get(link).set(html)).text).toContain('forgetful@example.test');
    const set = await gw
      .http()
      .post(link)
      .set(html)
      .type('form')
      .send({ password: 'a brand new password' });
    expect(set.status).toBe(303);
    await gw
      .http()
      .post('/login')
      .send({ email: 'forgetful@example.test', password: 'a brand new password' })
      .expect(200);
  });

  it('is rate-limited per address (and per client), over the page and the API alike', async () => {
    const api = () =>
      gw.http().post('/api/v1/password-resets').send({ email: 'flooded@example.test' });
    // The client's bucket (5 an hour) already paid for the 4 asks above: a fresh address still
    // hits the per-client limit.
    const first = await api();
    expect([202, 429]).toContain(first.status);
    let limited = first;
    for (let i = 0; i < 4 && limited.status !== 429; i += 1) limited = await api();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    const page = await gw
      .http()
      .post('/forgot')
      .set(html)
      .type('form')
      .send({ email: 'flooded@example.test' });
    expect(page.status).toBe(429);
    expect(page.text).toContain('Too many reset requests');
    expect(page.headers['retry-after']).toMatch(/^\d+$/);
  });
});

describe('a space admin invites into their space', () => {
  it('the invitee signs up through the link and is a member of the space with the chosen role', async () => {
    const owner = await createUser(
      'owner@example.test',
      'Olga Owner',
      'editor',
      'owner password 123',
    );
    const session = await signIn(gw, 'owner@example.test', 'owner password 123');
    const created = await gw
      .http()
      .post('/spaces')
      .set('cookie', session.cookie)
      .set(html)
      .type('form')
      .send({ _csrf: session.csrf, name: 'Research', visibility: 'private' });
    expect(created.status).toBe(303);
    const space = [...wiki.spaces.values()].find((s) => s.slug === 'research')!;

    const settings = await gw
      .http()
      .get('/spaces/research/settings')
      .set('cookie', session.cookie)
      .set(html);
    // A global editor may give an invitee reader or editor in the wiki, never admin.
    expect(settings.text).toMatch(/<select id="invite-role" name="role">\s*<option value="reader"/);
    expect(settings.text).not.toMatch(/id="invite-role"[\s\S]*?value="admin"[\s\S]*?<\/select>/);

    const post = (fields: Record<string, string>) =>
      gw
        .http()
        .post('/spaces/research/invites')
        .set('cookie', session.cookie)
        .set(html)
        .type('form')
        .send({ _csrf: session.csrf, ...fields });
    const tooHigh = await post({ email: 'x@example.test', role: 'admin', spaceRole: 'reader' });
    expect(tooHigh.status).toBe(403);
    expect(tooHigh.text).toContain('up to your own');
    const taken = await post({ email: 'owner@example.test', role: 'editor', spaceRole: 'reader' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('add them as a member instead');

    const invited = await post({
      email: 'scientist@example.test',
      role: 'editor',
      spaceRole: 'reader',
    });
    expect(invited.status).toBe(200);
    expect(invited.text).toContain('Mailed to scientist@example.test');
    const mail = await smtp.next((m) => m.to.includes('scientist@example.test'));
    expect(mail.text).toContain('as editor and to the space "Research" (as reader)');
    expect(mail.subject).toBe('Olga Owner invited you to the wiki');
    const link = pathOf(linkIn(mail.text)!);

    const invitePage = await gw.http().get(link).set(html);
    expect(invitePage.text).toContain('into the space <strong>Research</strong> as reader');
    const joined = await gw
      .http()
      .post(link)
      .set(html)
      .type('form')
      .send({ name: 'Sam Scientist', password: 'a long password for sam' });
    expect(joined.status).toBe(303);
    expect(joined.headers.location).toBe('/spaces/research');
    const users = await gw
      .http()
      .get('/api/v1/users?q=scientist')
      .set('authorization', bootstrap)
      .expect(200);
    const sam = users.body.items[0] as { id: string; role: string };
    expect(sam.role).toBe('editor');
    expect(wiki.members.get(space.id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: owner.id, role: 'admin' }),
        expect.objectContaining({ userId: sam.id, role: 'reader' }),
      ]),
    );

    // Not an admin of a space: no invites through it, and none to the whole wiki.
    const samSession = await signIn(gw, 'scientist@example.test', 'a long password for sam');
    const refused = await gw
      .http()
      .post('/api/v1/invites')
      .set('cookie', samSession.cookie)
      .set('x-csrf-token', samSession.csrf)
      .send({
        email: 'friend@example.test',
        role: 'reader',
        spaceId: space.id,
        spaceRole: 'reader',
      });
    expect(refused.status).toBe(403);
    const wide = await gw
      .http()
      .post('/api/v1/invites')
      .set('cookie', samSession.cookie)
      .set('x-csrf-token', samSession.csrf)
      .send({ email: 'friend@example.test', role: 'reader' });
    expect(wide.status).toBe(403);
  });

  it('an inviter who is no space admin any more when the link is used grants no membership', async () => {
    const session = await signIn(gw, 'owner@example.test', 'owner password 123');
    const space = [...wiki.spaces.values()].find((s) => s.slug === 'research')!;
    const invited = await gw
      .http()
      .post('/spaces/research/invites')
      .set('cookie', session.cookie)
      .set(html)
      .type('form')
      .send({
        _csrf: session.csrf,
        email: 'late@example.test',
        role: 'reader',
        spaceRole: 'editor',
      });
    expect(invited.status).toBe(200);
    const mail = await smtp.next((m) => m.to.includes('late@example.test'));
    // Olga stops being an admin of the space before the link is used.
    const olga = wiki.members.get(space.id)!.find((m) => m.role === 'admin')!;
    olga.role = 'reader';
    try {
      const joined = await gw
        .http()
        .post(pathOf(linkIn(mail.text)!))
        .set(html)
        .type('form')
        .send({ name: 'Late Larry', password: 'a long password for larry' });
      // The account is made (signed in, home page), the membership is not.
      expect(joined.status).toBe(303);
      expect(joined.headers.location).toBe('/');
      const users = await gw
        .http()
        .get('/api/v1/users?q=late@example.test')
        .set('authorization', bootstrap);
      const larry = users.body.items[0] as { id: string };
      expect(wiki.members.get(space.id)!.some((m) => m.userId === larry.id)).toBe(false);
      expect(log.join('\n')).toContain('invite accepted, but the space membership was not granted');
    } finally {
      olga.role = 'admin';
    }
  });

  it('deleting the space: refused while it has pages, then gone', async () => {
    const session = await signIn(gw, 'owner@example.test', 'owner password 123');
    const space = [...wiki.spaces.values()].find((s) => s.slug === 'research')!;
    const page = wiki.seed('Lab notes', 'Results.');
    page.spaceId = space.id;
    const del = () =>
      gw
        .http()
        .post('/spaces/research/delete')
        .set('cookie', session.cookie)
        .set(html)
        .type('form')
        .send({ _csrf: session.csrf });
    const refused = await del();
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('still has 1 page(s)');
    // The public API forwards the same to notes.
    const api = await gw
      .http()
      .delete(`/api/v1/spaces/${space.id}`)
      .set('authorization', bootstrap);
    expect(api.status).toBe(409);
    expect(api.body.error.code).toBe('space_not_empty');
    wiki.notes.delete(page.id);
    const done = await del();
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/spaces?deleted=Research');
    expect(wiki.spaces.has(space.id)).toBe(false);
  });
});

describe('the log', () => {
  it('never holds a one-time link or the SMTP password', () => {
    expect(log.length).toBeGreaterThan(0);
    const all = log.join('\n');
    expect(all).not.toMatch(/inv_[\w-]{20}|rst_[\w-]{20}/);
    expect(all).not.toContain('s3cret');
  });
});

describe('without a working mail server', () => {
  it('no SMTP: links are for copying, "forgot password" says to ask an admin (and the last admin stays)', async () => {
    const plain = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: wiki.url,
      MEDIA_URL: wiki.url,
    });
    try {
      const invite = await plain
        .http()
        .post('/api/v1/invites')
        .set('authorization', bootstrap)
        .send({ email: 'copy@example.test', role: 'reader' });
      expect(invite.body).toMatchObject({ mailed: false });
      expect(invite.body.url).toMatch(LINK);
      const page = await plain.http().get('/forgot').set(html);
      expect(page.text).toContain('Ask an admin of the wiki for a password reset link');
      expect(page.text).not.toContain('action="/forgot"');
      const api = await plain
        .http()
        .post('/api/v1/password-resets')
        .send({ email: 'copy@example.test' });
      expect(api.status).toBe(404);
      expect(api.body.error.code).toBe('mail_not_configured');

      // The last active admin (here the only one) cannot be demoted or disabled, not even by the
      // bootstrap token; with a second admin it can.
      const patch = (id: string, body: object) =>
        plain.http().patch(`/api/v1/users/${id}`).set('authorization', bootstrap).send(body);
      const admins = await plain
        .http()
        .get('/api/v1/users?q=admin@example.test')
        .set('authorization', bootstrap);
      const first = admins.body.items[0] as { id: string };
      const demoted = await patch(first.id, { role: 'editor' });
      expect(demoted.status).toBe(409);
      expect(demoted.body.error.code).toBe('last_admin');
      expect((await patch(first.id, { disabled: true })).status).toBe(409);
      const second = await plain
        .http()
        .post('/api/v1/users')
        .set('authorization', bootstrap)
        .send({ email: 'second-admin@example.test', name: 'Second', role: 'admin' });
      expect((await patch(first.id, { role: 'editor' })).status).toBe(200);
      expect((await patch(second.body.id as string, { disabled: true })).status).toBe(409);
    } finally {
      await plain.close();
    }
  });

  it('SMTP down: the invite is still made, with its link to copy, and the failure is counted', async () => {
    const down = new SmtpSink();
    await down.start();
    const url = down.url;
    await down.stop();
    const broken = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: wiki.url,
      MEDIA_URL: wiki.url,
      SMTP_URL: url,
      SMTP_FROM: 'wiki@example.test',
      SMTP_TIMEOUT_MS: '2000',
    });
    try {
      const invite = await broken
        .http()
        .post('/api/v1/invites')
        .set('authorization', bootstrap)
        .send({ email: 'unsent@example.test', role: 'reader' });
      expect(invite.status).toBe(201);
      expect(invite.body).toMatchObject({ mailed: false });
      expect(invite.body.url).toMatch(LINK);
      const metrics = await broken.metrics.registry.metrics();
      expect(metrics).toMatch(
        /lateral_mails_total\{[^}]*kind="invite"[^}]*result="failed"[^}]*\} 1/,
      );
    } finally {
      await broken.close();
    }
  });
});
