// A trashed page's old URL, deleting for good and emptying the trash through the web UI (forms,
// no JavaScript), the public API routes for them, and the favicon.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BOOTSTRAP_TOKEN, signIn, startGateway, type GatewayHarness } from '../gateway-harness.js';
import { FakeWiki } from './fake-wiki.js';

let wiki: FakeWiki;
let gw: GatewayHarness;
type Session = { cookie: string; csrf: string };
let admin: Session;
let editor: Session;
let reader: Session;
const PASSWORD = 'a long password for tests';

async function person(email: string, role: 'reader' | 'editor'): Promise<Session> {
  const res = await gw
    .http()
    .post('/api/v1/users')
    .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
    .send({ email, name: email.split('@')[0], password: PASSWORD, role });
  expect(res.status).toBe(201);
  return signIn(gw, email, PASSWORD);
}

beforeAll(async () => {
  wiki = new FakeWiki();
  await wiki.start();
  gw = await startGateway(inject('postgresAdminUrl'), { NOTES_URL: wiki.url, MEDIA_URL: wiki.url });
  admin = await signIn(gw);
  editor = await person('edna@example.test', 'editor');
  reader = await person('rita@example.test', 'reader');
});

afterAll(async () => {
  await gw?.close();
  await wiki?.stop();
});

const get = (path: string, who: Session = admin) =>
  gw.http().get(path).set('cookie', who.cookie).set('accept', 'text/html');
const post = (path: string, who: Session = admin) =>
  gw
    .http()
    .post(path)
    .set('cookie', who.cookie)
    .set('accept', 'text/html')
    .type('form')
    .send({ _csrf: who.csrf });

function trashed(title: string, by = 'Grace') {
  const note = wiki.seed(title, 'Some text.');
  note.deletedAt = new Date(Date.now() - 5 * 60_000).toISOString();
  wiki.trashedBy.set(note.id, by);
  return note;
}

describe("a trashed page's URL", () => {
  it('says the page is in the trash, when and by whom, with Restore for editors', async () => {
    const note = trashed('Old runbook');
    const res = await get('/notes/old-runbook', editor);
    expect(res.status).toBe(404);
    expect(res.text).toContain('<h1>Old runbook</h1>');
    expect(res.text).toContain('This page is in the trash');
    expect(res.text.replace(/\s+/g, ' ')).toMatch(
      /moved to the trash by <strong>Grace<\/strong>, <time[^>]*>5 minutes ago/,
    );
    expect(res.text).toContain(`action="/trash/${note.id}/restore"`);
    // Deleting for good is for admins.
    expect(res.text).not.toContain('Delete forever');

    const restored = await post(`/trash/${note.id}/restore`, editor);
    expect(restored.status).toBe(303);
    expect(restored.headers.location).toBe('/notes/old-runbook');
    expect((await get('/notes/old-runbook', editor)).status).toBe(200);
  });

  it('shows readers the notice without buttons', async () => {
    trashed('Reader sees notice');
    const res = await get('/notes/reader-sees-notice', reader);
    expect(res.status).toBe(404);
    expect(res.text).toContain('This page is in the trash');
    expect(res.text).toContain('An editor can restore it.');
    expect(res.text).not.toContain('/restore"');
    expect(res.text).not.toContain('Delete forever');
  });

  it('is an htmx fragment for htmx requests, and a plain 404 for a page that never existed', async () => {
    trashed('Fragment notice');
    const fragment = await get('/notes/fragment-notice').set('HX-Request', 'true');
    expect(fragment.status).toBe(404);
    expect(fragment.text).not.toContain('<!doctype html>');
    expect(fragment.text).toContain('This page is in the trash');

    const missing = await get('/notes/never-existed');
    expect(missing.status).toBe(404);
    expect(missing.text).not.toContain('This page is in the trash');
  });
});

describe('deleting for good (admins)', () => {
  it('offers Delete forever at the old URL and asks to confirm on a page of its own', async () => {
    const note = trashed('Purge me');
    const notice = await get('/notes/purge-me');
    expect(notice.text).toContain(`href="/trash/${note.id}/delete"`);
    const confirm = await get(`/trash/${note.id}/delete`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Delete “Purge me” forever?');
    expect(confirm.text).toContain(`action="/trash/${note.id}/delete"`);
    expect(confirm.text).toContain('name="_csrf"');
    expect(wiki.notes.has(note.id)).toBe(true);

    const res = await post(`/trash/${note.id}/delete`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/trash?purged=Purge%20me');
    expect(wiki.notes.has(note.id)).toBe(false);
    expect((await get(res.headers.location as string)).text).toContain(
      'Deleted “Purge me” forever.',
    );
    expect((await get('/notes/purge-me')).text).not.toContain('This page is in the trash');
  });

  it('is refused to editors (403) and the page stays', async () => {
    const note = trashed('Editors keep');
    expect((await get(`/trash/${note.id}/delete`, editor)).status).toBe(403);
    expect((await post(`/trash/${note.id}/delete`, editor)).status).toBe(403);
    expect(wiki.notes.has(note.id)).toBe(true);
    const list = await get('/trash', editor);
    expect(list.text).not.toContain('Delete forever');
    expect(list.text).not.toContain('Empty trash');
  });

  it('needs the CSRF token', async () => {
    const note = trashed('Csrf guarded');
    const res = await gw
      .http()
      .post(`/trash/${note.id}/delete`)
      .set('cookie', admin.cookie)
      .set('accept', 'text/html')
      .type('form')
      .send({});
    expect(res.status).toBe(403);
    expect(wiki.notes.has(note.id)).toBe(true);
  });

  it('empties the trash after a confirmation page, keeping live pages', async () => {
    const live = wiki.seed('Live one', 'Stays.');
    trashed('Gone one');
    trashed('Gone two');
    const list = await get('/trash');
    expect(list.text).toContain('href="/trash/empty"');
    expect(list.text).toContain('Delete forever');
    const confirm = await get('/trash/empty');
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Empty the trash?');
    const count = [...wiki.notes.values()].filter((n) => n.deletedAt).length;
    expect(confirm.text).toContain(`${count} pages in the trash will be deleted forever`);
    expect(confirm.text).toContain('action="/trash/empty"');

    expect((await post('/trash/empty', editor)).status).toBe(403);
    const res = await post('/trash/empty');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/trash?emptied=${count}`);
    expect([...wiki.notes.values()].filter((n) => n.deletedAt)).toEqual([]);
    expect(wiki.notes.has(live.id)).toBe(true);
    const after = await get(res.headers.location as string);
    expect(after.text).toContain('Emptied the trash');
    expect(after.text).toContain('The trash is empty.');
    expect(after.text).not.toContain('href="/trash/empty"');
  });
});

describe('the public API', () => {
  const api = (method: 'get' | 'delete', path: string, who: Session) =>
    gw.http()[method](path).set('cookie', who.cookie).set('x-csrf-token', who.csrf);

  it('reads a trashed page and deletes it for good (admins), refusing editors', async () => {
    const note = trashed('Api purge');
    const found = await api('get', '/api/v1/trash/api-purge', reader);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: note.id, deletedBy: { name: 'Grace' } });

    expect((await api('delete', `/api/v1/notes/${note.id}?permanent=true`, editor)).status).toBe(
      403,
    );
    expect(wiki.notes.has(note.id)).toBe(true);
    const res = await api('delete', `/api/v1/notes/${note.id}?permanent=true`, admin);
    expect(res.status).toBe(204);
    expect(wiki.notes.has(note.id)).toBe(false);
  });

  it('empties the trash for admins only (the gateway refuses editors itself)', async () => {
    const note = trashed('Api empty');
    expect((await api('delete', '/api/v1/trash', editor)).status).toBe(403);
    expect(wiki.notes.has(note.id)).toBe(true);
    const res = await api('delete', '/api/v1/trash', admin);
    expect(res.status).toBe(200);
    expect(res.body.deleted).toBeGreaterThanOrEqual(1);
    expect(wiki.notes.has(note.id)).toBe(false);
  });
});

describe('the favicon', () => {
  it('serves /favicon.ico as a real ICO with long cache headers, signed out too', async () => {
    const res = await gw.http().get('/favicon.ico').buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/x-icon');
    expect(res.headers['cache-control']).toBe('public, max-age=2592000');
    const body = res.body as Buffer;
    // ICONDIR: reserved 0, type 1 (icon), at least one image.
    expect(body.readUInt16LE(0)).toBe(0);
    expect(body.readUInt16LE(2)).toBe(1);
    expect(body.readUInt16LE(4)).toBeGreaterThan(0);
    const again = await gw.http().get('/favicon.ico').set('if-none-match', res.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('links an SVG icon and the .ico from every page; the SVG is an immutable asset', async () => {
    const page = await gw.http().get('/login').set('accept', 'text/html');
    expect(page.text).toContain('<link rel="icon" href="/favicon.ico"');
    const svg =
      /<link rel="icon" href="(\/assets\/favicon\.[0-9a-f]+\.svg)" type="image\/svg\+xml"/.exec(
        page.text,
      );
    expect(svg).not.toBeNull();
    const res = await gw.http().get(svg![1]!);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});
