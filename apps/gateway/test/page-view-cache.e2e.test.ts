// Page views kept while the gateway follows notes' page changes (PageViewCache): a view nothing
// changed since costs no call to notes; a notice, this gateway's own write, or the feed going
// away each make the next view ask notes again. Against the in-memory notes (FakeWiki), whose
// feed the test drives line by line.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PageViewCache } from '../src/upstream/page-view-cache.js';
import { BOOTSTRAP_TOKEN, signIn, startGateway, type GatewayHarness } from './gateway-harness.js';
import { FakeWiki, type FakeNote } from './web/fake-wiki.js';

let wiki: FakeWiki;
let gw: GatewayHarness;
let session: { cookie: string; csrf: string };
let target: FakeNote;
let linking: FakeNote;

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const caching = () => gw.app.get(PageViewCache).begin() !== undefined;

beforeAll(async () => {
  wiki = new FakeWiki();
  wiki.followable = true;
  await wiki.start();
  target = wiki.seed('Cache target', 'First words.');
  linking = wiki.seed('Cache linking', 'See [[Cache target]].');
  gw = await startGateway(inject('postgresAdminUrl'), { NOTES_URL: wiki.url, MEDIA_URL: wiki.url });
  session = await signIn(gw);
  await until(caching, 'the gateway to follow page changes');
});

afterAll(async () => {
  await gw?.close();
  await wiki?.stop();
});

/** A page view as the signed-in admin (or with the bootstrap token), and notes' calls for it. */
async function view(slug: string, as: 'session' | 'token' = 'session') {
  const before = wiki.requests.length;
  const req = gw.http().get(`/notes/${slug}`).set('accept', 'text/html');
  const res = await (as === 'session'
    ? req.set('cookie', session.cookie)
    : req.set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`));
  expect(res.status).toBe(200);
  const asked = wiki.requests
    .slice(before)
    .filter((line) => line.startsWith(`GET /api/v1/notes/${slug}?include=`)).length;
  return { html: res.text, asked };
}

describe('page views kept while following page changes', () => {
  it('answers a second view of an unchanged page without asking notes', async () => {
    expect((await view(target.slug)).asked).toBe(1);
    const again = await view(target.slug);
    expect(again.asked).toBe(0);
    expect(again.html).toContain('First words.');
  });

  it('asks again once notes says the page changed (a save through another replica)', async () => {
    await view(target.slug);
    wiki.update(target, { body: 'Second words.' });
    wiki.notifyPageChange(`page ${target.id}`);
    await until(() => !gw.app.get(PageViewCache).get(undefined, target.slug), 'the notice');
    const fresh = await view(target.slug);
    expect(fresh.asked).toBe(1);
    expect(fresh.html).toContain('Second words.');
  });

  it('asks again for a page whose backlinks show the page that changed', async () => {
    const first = await view(target.slug);
    expect(first.html).toContain('Cache linking');
    expect((await view(target.slug)).asked).toBe(0);
    wiki.update(linking, { body: 'Still see [[Cache target]], edited.' });
    wiki.notifyPageChange(`page ${linking.id}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await view(target.slug)).asked).toBe(1);
  });

  it('asks again for every page after "all" (a rename, a move, a member)', async () => {
    await view(target.slug);
    await view(linking.slug);
    wiki.notifyPageChange('all');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await view(target.slug)).asked).toBe(1);
    expect((await view(linking.slug)).asked).toBe(1);
  });

  it("shows this gateway's own save at once, before any notice", async () => {
    await view(target.slug);
    const res = await gw
      .http()
      .put(`/api/v1/notes/${target.id}`)
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .send({ title: target.title, body: 'Saved here.', tags: [], version: target.version });
    expect(res.status).toBe(200);
    const after = await view(target.slug);
    expect(after.asked).toBe(1);
    expect(after.html).toContain('Saved here.');
  });

  it('keeps each person their own view (what notes lets them see)', async () => {
    await view(linking.slug, 'session');
    expect((await view(linking.slug, 'session')).asked).toBe(0);
    expect((await view(linking.slug, 'token')).asked).toBe(1);
    expect((await view(linking.slug, 'token')).asked).toBe(0);
  });

  it('caches nothing while the feed is gone, and starts again once it is back', async () => {
    wiki.dropFollowers();
    await until(() => !caching(), 'the gateway to stop caching');
    expect((await view(target.slug)).asked).toBe(1);
    expect((await view(target.slug)).asked).toBe(1);
    await until(caching, 'the gateway to follow again');
    expect(wiki.following).toBe(1);
    expect((await view(target.slug)).asked).toBe(1);
    expect((await view(target.slug)).asked).toBe(0);
  });
});
