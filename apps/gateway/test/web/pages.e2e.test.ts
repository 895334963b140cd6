import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { signIn, startGateway, type GatewayHarness } from '../gateway-harness.js';
import { FakeWiki } from './fake-wiki.js';

let wiki: FakeWiki;
let gw: GatewayHarness;
let session: { cookie: string; csrf: string };

beforeAll(async () => {
  wiki = new FakeWiki();
  wiki.clock = () => new Date('2026-11-24T12:00:00Z');
  await wiki.start();
  const welcome = wiki.seed(
    'Welcome',
    'Hello **team**. See [[Runbook]] and [[Missing Page]].\n\n![cat](/api/v1/media/m900)',
    ['intro', 'ops'],
  );
  wiki.seed('Runbook', 'Restart the wiki with care. Back to [[Welcome]].', ['ops']);
  wiki.update(welcome, { body: welcome.body + '\n\nSecond paragraph.' });
  for (let i = 0; i < 30; i++) wiki.seed(`Ops note ${i}`, `note ${i}`, ['bulk']);
  wiki.media.set('m900', { id: 'm900', width: 800, height: 600, thumbhash: null });
  gw = await startGateway(inject('postgresAdminUrl'), { NOTES_URL: wiki.url, MEDIA_URL: wiki.url });
  session = await signIn(gw);
});

afterAll(async () => {
  await gw?.close();
  await wiki?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  gw.http().get(path).set('cookie', session.cookie).set('accept', 'text/html').set(headers);

const PAGES: { path: string; contains: string }[] = [
  { path: '/', contains: 'Recently edited' },
  { path: '/notes/welcome', contains: 'Hello <strong>team</strong>' },
  { path: '/notes/welcome/edit', contains: 'name="version" value="2"' },
  { path: '/new?title=Road%20map', contains: 'value="Road map"' },
  { path: '/notes/welcome/revisions', contains: 'Compare selected versions' },
  { path: '/notes/welcome/revisions/1', contains: 'This is an old version' },
  { path: '/notes/welcome/diff?from=1&to=2', contains: 'Second paragraph.' },
  { path: '/trash', contains: 'Trash' },
  { path: '/tags', contains: 'href="/tags/ops"' },
  { path: '/tags/bulk', contains: 'Ops note' },
  { path: '/search?q=restart', contains: '<mark>Restart</mark>' },
  { path: '/login', contains: 'action="/login"' },
  { path: '/import', contains: 'Notion' },
];

describe('every page, with and without HX-Request', () => {
  it.each(PAGES)(
    '$path renders the whole page for a normal request',
    async ({ path, contains }) => {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers.vary).toContain('HX-Request');
      expect(res.text).toMatch(/^<!doctype html>/i);
      expect(res.text).toContain('<main id="main"');
      expect(res.text).toContain(contains);
    },
  );

  it.each(PAGES)('$path renders only its fragment for htmx', async ({ path, contains }) => {
    const res = await get(path, { 'hx-request': 'true', 'hx-target': 'main#main' });
    expect(res.status).toBe(200);
    expect(res.headers.vary).toContain('HX-Request');
    expect(res.text).not.toMatch(/<!doctype|<html|<header class="site-header"/i);
    expect(res.text).toMatch(/^<title>.+ · Lateral<\/title>/);
    expect(res.text).toContain(contains);
  });

  it('gives htmx history restores the full page', async () => {
    const res = await get('/notes/welcome', {
      'hx-request': 'true',
      'hx-history-restore-request': 'true',
    });
    expect(res.text).toMatch(/^<!doctype html>/i);
  });

  it('answers the active search box with the results only', async () => {
    const res = await get('/search?q=restart', {
      'hx-request': 'true',
      'hx-target': 'div#search-results',
    });
    expect(res.text).toContain('<mark>Restart</mark>');
    expect(res.text).not.toContain('<title>');
    expect(res.text).not.toContain('search-page-input');
  });

  it('offers "did you mean" when nothing matches', async () => {
    const res = await get('/search?q=wikki');
    expect(res.text.replace(/\s+/g, ' ')).toContain(
      'Did you mean <a href="/search?q=wiki">wiki</a>',
    );
  });

  it('pages through a tag with a "more" row that htmx swaps in place', async () => {
    const first = await get('/tags/bulk');
    const more = /hx-get="([^"]+)"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    expect(more).toBe('/tags/bulk?cursor=25');
    const rows = await get(more!, { 'hx-request': 'true', 'hx-target': 'li#more' });
    expect(rows.text).toMatch(/^\s*<li>/);
    expect(rows.text.match(/class="title"/g)).toHaveLength(5);
    expect(rows.text).not.toContain('id="more"');
    const noJs = await get(more!);
    expect(noJs.text).toMatch(/^<!doctype html>/i);
  });
});

describe('the page view', () => {
  it('resolves wiki links, shows backlinks, who edited and images with reserved space', async () => {
    const res = await get('/notes/welcome');
    expect(res.text).toContain('<a class="wikilink" href="/notes/runbook">Runbook</a>');
    expect(res.text).toContain(
      'class="wikilink wikilink-missing" href="/new?title=Missing%20Page"',
    );
    expect(res.text).toContain('Linked from');
    expect(res.text).toMatch(
      /edited by <strong>Grace<\/strong>, <time datetime="2026-11-24T12:00:00.000Z"/,
    );
    expect(res.text).toMatch(
      /<img class="media" src="\/api\/v1\/media\/m900\?w=960" srcset="[^"]+" sizes="[^"]+" width="800" height="600"/,
    );
  });

  it('asks notes once: the page, what is around it and where its wiki links lead', async () => {
    const before = wiki.requests.length;
    const res = await get('/notes/welcome');
    expect(res.status).toBe(200);
    const notesCalls = wiki.requests.slice(before).filter((r) => r.includes('/api/v1/notes'));
    expect(notesCalls).toEqual(['GET /api/v1/notes/welcome?include=backlinks,place,links']);
    expect(res.text).toContain('<a class="wikilink" href="/notes/runbook">Runbook</a>');
  });

  it('still resolves wiki links, one lookup each, from a notes release without include=links', async () => {
    wiki.answersLinks = false;
    try {
      const before = wiki.requests.length;
      const res = await get('/notes/welcome');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<a class="wikilink" href="/notes/runbook">Runbook</a>');
      expect(res.text).toContain(
        'class="wikilink wikilink-missing" href="/new?title=Missing%20Page"',
      );
      expect(res.text).toContain('Linked from');
      const notesCalls = wiki.requests.slice(before).filter((r) => r.includes('/api/v1/notes'));
      expect(notesCalls.sort()).toEqual([
        'GET /api/v1/notes/missing-page',
        'GET /api/v1/notes/runbook',
        'GET /api/v1/notes/welcome?include=backlinks,place',
        'GET /api/v1/notes/welcome?include=backlinks,place,links',
      ]);
    } finally {
      wiki.answersLinks = true;
    }
  });

  // Issue #13: the slug cut (120 characters) lands right after a separator. notes stores the page
  // without the dash; the gateway used to ask for the slug with it and showed the link as missing.
  it('resolves a wiki link to a page whose title slugs to a dash at character 120', async () => {
    const title = `${'a'.repeat(119)} bcd`;
    wiki.seed(title, 'A page with a long title.');
    wiki.seed('Long title index', `See [[${title}]].`);
    const res = await get('/notes/long-title-index');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<a class="wikilink" href="/notes/${'a'.repeat(119)}">${title}</a>`);
  });

  it('answers an unknown page with a 404 page', async () => {
    const res = await get('/notes/nope');
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/^<!doctype html>/i);
    expect(res.text).toContain('Not found');
  });
});

describe('security headers and assets', () => {
  it('sends a CSP without inline scripts and links only hashed assets', async () => {
    const res = await get('/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(res.text).not.toMatch(/<script(?![^>]+\bsrc=)/);
    const assets = [...res.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(4); // app.css, htmx, app.js, favicon.svg
    for (const path of assets) {
      const asset = await gw.http().get(path).set('accept-encoding', 'br');
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(asset.headers['content-encoding']).toBe('br');
    }
    expect((await gw.http().get('/assets/app.0000.css')).status).toBe(404);
  });
});
