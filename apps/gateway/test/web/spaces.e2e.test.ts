// Spaces in the web UI against the in-memory notes: the sidebar (spaces, the current space's
// tree, the current page marked), breadcrumbs, a space's home and all pages, creating a space, its
// settings and members, a new page in a space under a parent, and moving a page. Access rules are
// notes' and are tested on the real service (test/browser/spaces.e2e.test.ts).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_EMAIL, signIn, startGateway, type GatewayHarness } from '../gateway-harness.js';
import { DEFAULT_SPACE, FakeWiki, type FakeNote } from './fake-wiki.js';

let wiki: FakeWiki;
let gw: GatewayHarness;
let session: { cookie: string; csrf: string };
let handbook: FakeNote;
let onboarding: FakeNote;
let laptops: FakeNote;

beforeAll(async () => {
  wiki = new FakeWiki();
  wiki.clock = () => new Date('2026-11-24T12:00:00Z');
  await wiki.start();
  handbook = wiki.seed('Handbook', 'The team handbook.');
  onboarding = wiki.seed('Onboarding', 'First days.');
  onboarding.parentId = handbook.id;
  laptops = wiki.seed('Laptops', 'Which laptop.');
  laptops.parentId = onboarding.id;
  for (let i = 0; i < 60; i++) wiki.seed(`Zz page ${String(i).padStart(2, '0')}`, 'filler');
  gw = await startGateway(inject('postgresAdminUrl'), { NOTES_URL: wiki.url, MEDIA_URL: wiki.url });
  session = await signIn(gw);
});

afterAll(async () => {
  await gw?.close();
  await wiki?.stop();
});

const html = { accept: 'text/html' };
const get = (path: string, headers: Record<string, string> = {}) =>
  gw.http().get(path).set('cookie', session.cookie).set(html).set(headers);
const post = (path: string) =>
  gw.http().post(path).set('cookie', session.cookie).set(html).type('form');

describe('the sidebar and breadcrumbs', () => {
  it('shows the spaces, the space tree with the page marked and open, and the breadcrumbs', async () => {
    const res = await get('/notes/laptops');
    expect(res.status).toBe(200);
    const sidebar = res.text.slice(res.text.indexOf('<aside class="sidebar"'));
    expect(sidebar).toContain('href="/spaces/team"');
    // Nested: Handbook › Onboarding › Laptops, both ancestors open, Laptops marked.
    expect(sidebar).toMatch(/<details open>\s*<summary><a\s+href="\/notes\/handbook"/);
    expect(sidebar).toMatch(/<details open>\s*<summary><a\s+href="\/notes\/onboarding"/);
    expect(sidebar).toMatch(/href="\/notes\/laptops"\s+aria-current="page"/);
    expect(sidebar).toContain('href="/spaces/team/pages"');
    const crumbs = res.text.slice(res.text.indexOf('<nav class="breadcrumbs"'));
    expect(crumbs).toMatch(
      /href="\/spaces\/team">Team<\/a>.*href="\/notes\/handbook">Handbook<\/a>.*href="\/notes\/onboarding">Onboarding<\/a>.*<li aria-current="page">Laptops<\/li>/s,
    );
  });

  it('holds only the levels open on the page; a closed page’s sub-pages come when unfolded', async () => {
    const res = await get('/notes/zz-page-00');
    const sidebar = res.text.slice(res.text.indexOf('<aside class="sidebar"'));
    // Handbook is closed: its sub-pages are not in the page, htmx fetches them on unfolding.
    expect(sidebar).not.toContain('href="/notes/onboarding"');
    expect(sidebar).toMatch(
      new RegExp(
        `<details>\\s*<summary><a\\s+href="/notes/handbook"\\s*>Handbook</a\\s*></summary>\\s*<ul\\s+hx-get="/spaces/team/tree\\?page=${handbook.id}"`,
      ),
    );
    const level = await get(`/spaces/team/tree?page=${handbook.id}`, { 'hx-request': 'true' });
    expect(level.status).toBe(200);
    // Onboarding has a sub-page of its own: folded again, fetched when unfolded.
    expect(level.text).toContain('href="/notes/onboarding"');
    expect(level.text).toContain(`hx-get="/spaces/team/tree?page=${onboarding.id}"`);
    expect(level.text).not.toContain('href="/notes/laptops"');
    expect((await get(`/spaces/team/tree?page=${laptops.id}`)).text).toContain('No sub-pages');
    expect((await get('/spaces/team/tree?page=%3Cscript%3E')).status).toBe(400);
  });

  it('says when an unfolded level was cut, pointing to All pages', async () => {
    wiki.treeLevelLimit = 1;
    try {
      const level = await get(`/spaces/team/tree?page=${handbook.id}`, { 'hx-request': 'true' });
      expect(level.text).toContain('href="/notes/onboarding"');
      expect(level.text).toContain('<a class="sidebar-more" href="/spaces/team/pages">');
    } finally {
      wiki.treeLevelLimit = Infinity;
    }
    const whole = await get(`/spaces/team/tree?page=${handbook.id}`, { 'hx-request': 'true' });
    expect(whole.text).not.toContain('sidebar-more');
  });

  it('comes with the htmx fragment too, so a boosted click moves the mark', async () => {
    const res = await get('/notes/handbook', { 'hx-request': 'true', 'hx-target': 'main#main' });
    expect(res.text).not.toMatch(/<!doctype/i);
    expect(res.text).toContain('<aside class="sidebar"');
    expect(res.text).toMatch(/href="\/notes\/handbook"\s+aria-current="page"/);
  });

  it('lists the spaces on pages outside a space, and no sidebar for people signed out', async () => {
    const tags = await get('/tags');
    expect(tags.text).toContain('<aside class="sidebar"');
    // The phone menu reaches the spaces too.
    expect(tags.text).toMatch(/class="phone-menu"[\s\S]*href="\/spaces"/);
    const anonymous = await gw.http().get('/login').set(html);
    expect(anonymous.text).not.toContain('<aside class="sidebar"');
  });
});

describe('space pages', () => {
  it('a space home: name, description, top-level pages, recent changes, New page here', async () => {
    const res = await get('/spaces/team');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Team</h1>');
    expect(res.text).toContain('Everyone’s pages.');
    expect(res.text).toContain('href="/spaces/team/new"');
    const pages = res.text.slice(
      res.text.indexOf('>Pages</h2>'),
      res.text.indexOf('>Recent changes'),
    );
    expect(pages).toContain('href="/notes/handbook"');
    expect(pages).not.toContain('href="/notes/onboarding"');
  });

  it('all pages by title, 50 at a time, with a "more" row htmx swaps in place', async () => {
    const first = await get('/spaces/team/pages');
    const column = first.text.slice(0, first.text.indexOf('<aside class="sidebar"'));
    expect(column).toContain('href="/notes/handbook"');
    expect(column).not.toContain('Zz page 59');
    expect(column).toContain('href="/spaces/team/pages?sort=title&amp;page=2"');
    const more = await get('/spaces/team/pages?sort=title&page=2', {
      'hx-request': 'true',
      'hx-target': 'li#more',
    });
    expect(more.text).toContain('Zz page 59');
    expect(more.text).not.toContain('<aside');
  });

  it('all pages by last change, through notes’ cursor', async () => {
    const res = await get('/spaces/team/pages?sort=updated');
    expect(res.status).toBe(200);
    expect(res.text).toContain('aria-current="true"\n    >last change');
    expect(res.text).toMatch(/pages\?sort=updated&amp;cursor=50/);
  });

  it('a space one cannot read is the normal not-found page, not 403', async () => {
    for (const path of ['/spaces/secret', '/spaces/secret/pages', '/spaces/secret/settings']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.text).toContain('Not found');
    }
  });
});

describe('forms (no JavaScript)', () => {
  it('creates a space; without the CSRF token it is refused', async () => {
    expect((await get('/spaces/new')).text).toContain('action="/spaces"');
    const refused = await post('/spaces').send({ name: 'Design' });
    expect(refused.status).toBe(403);
    const res = await post('/spaces').send({
      _csrf: session.csrf,
      name: 'Design',
      description: 'Pixels.',
      visibility: 'private',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/spaces/design');
    expect([...wiki.spaces.values()].find((s) => s.slug === 'design')?.visibility).toBe('private');
    const taken = await post('/spaces').send({ _csrf: session.csrf, name: 'Design' });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('already exists');
  });

  it('settings: rename, add a member by e-mail, remove them', async () => {
    const space = [...wiki.spaces.values()].find((s) => s.slug === 'design')!;
    const saved = await post('/spaces/design/settings').send({
      _csrf: session.csrf,
      name: 'Design team',
      description: 'Pixels.',
      visibility: 'private',
    });
    expect(saved.headers.location).toBe('/spaces/design/settings?saved=space');
    expect(space.name).toBe('Design team');
    const unknown = await post('/spaces/design/members').send({
      _csrf: session.csrf,
      person: 'nobody@example.test',
      role: 'reader',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('No one here has that e-mail');
    // The admin is a member already (the creator); adding by e-mail changes their role.
    const added = await post('/spaces/design/members').send({
      _csrf: session.csrf,
      person: ADMIN_EMAIL.toUpperCase(),
      role: 'editor',
    });
    expect(added.headers.location).toBe('/spaces/design/settings?saved=members');
    const members = wiki.members.get(space.id) ?? [];
    const me = members.find((m) => m.role === 'editor');
    expect(me).toBeDefined();
    const page = await get('/spaces/design/settings?saved=members');
    expect(page.text).toContain(ADMIN_EMAIL);
    expect(page.text).toContain('Members updated.');
    const removed = await post(`/spaces/design/members/${me!.userId}/remove`).send({
      _csrf: session.csrf,
    });
    expect(removed.status).toBe(303);
    expect(wiki.members.get(space.id)?.some((m) => m.userId === me!.userId)).toBe(false);
  });

  it('New sub-page opens the editor; the first save creates the page in the space under the parent', async () => {
    const page = await get('/notes/handbook');
    expect(page.text).toContain(`href="/spaces/team/new?parent=${handbook.id}"`);
    expect(page.text).toContain('>New sub-page</a>');
    const before = wiki.notes.size;
    const editor = await get(`/spaces/team/new?parent=${handbook.id}`);
    expect(editor.status).toBe(200);
    // The editor itself (no page exists yet), posting back to the space with the parent.
    expect(editor.text).toContain('action="/spaces/team/new"');
    expect(editor.text).toContain('data-editor');
    expect(editor.text).toContain(`name="parentId" value="${handbook.id}"`);
    expect(editor.text).toMatch(
      /New page in <a href="\/spaces\/team">Team<\/a> under “<a href="\/notes\/handbook">Handbook<\/a>”/,
    );
    expect(editor.text).toContain('href="/notes/handbook">Cancel</a>');
    expect(wiki.notes.size).toBe(before);

    // A refused save keeps the place: the form still posts to the space with the parent.
    const untitled = await post('/spaces/team/new').send({
      _csrf: session.csrf,
      title: ' ',
      body: 'Kept',
      parentId: handbook.id,
    });
    expect(untitled.status).toBe(422);
    expect(untitled.text).toContain('action="/spaces/team/new"');
    expect(untitled.text).toContain(`name="parentId" value="${handbook.id}"`);
    expect(untitled.text).toContain('Kept</textarea>');
    expect(wiki.notes.size).toBe(before);

    const res = await post('/spaces/team/new').send({
      _csrf: session.csrf,
      title: 'Holidays',
      body: 'Days off.',
      tags: 'hr',
      parentId: handbook.id,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/notes/holidays');
    const created = wiki.find('holidays')!;
    expect(created).toMatchObject({
      spaceId: DEFAULT_SPACE,
      parentId: handbook.id,
      body: 'Days off.',
    });
    // Without CSRF nothing is created.
    const forged = await post('/spaces/team/new').send({ title: 'Forged', parentId: handbook.id });
    expect(forged.status).toBe(403);
    expect(wiki.find('forged')).toBeUndefined();
  });

  it('moves a page under another; the URL stays and the breadcrumbs follow', async () => {
    // The page view has "Move" folded, its form fetched when unfolded (or opened as a page).
    const view = await get('/notes/laptops');
    expect(view.text).not.toContain('id="move-parent"');
    expect(view.text).toMatch(/<div\s+id="move-form"\s+hx-get="\/notes\/laptops\/move"/);
    const fragment = await get('/notes/laptops/move', {
      'hx-request': 'true',
      'hx-target': 'div#move-form',
    });
    expect(fragment.text).toMatch(/^<form\s+id="move-form"/);
    const page = await get('/notes/laptops/move');
    expect(page.text).toMatch(/<!doctype/i);
    expect(page.text).toContain('action="/notes/laptops/move"');
    // A page cannot go under itself or a page below it: those are not offered.
    const select = page.text.slice(page.text.indexOf('id="move-parent"'));
    expect(select.slice(0, select.indexOf('</select>'))).not.toContain(`value="${laptops.id}"`);
    expect((await post('/notes/laptops/move').send({ parentId: handbook.id })).status).toBe(403);
    const res = await post('/notes/laptops/move').send({
      _csrf: session.csrf,
      spaceId: DEFAULT_SPACE,
      parentId: handbook.id,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/notes/laptops');
    expect(laptops.parentId).toBe(handbook.id);
    const after = await get('/notes/laptops');
    const crumbs = after.text.slice(after.text.indexOf('<nav class="breadcrumbs"'));
    expect(crumbs.slice(0, crumbs.indexOf('</nav>'))).not.toContain('Onboarding');
  });
});
