import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { signIn, startGateway, type GatewayHarness } from '../gateway-harness.js';
import { FakeWiki } from './fake-wiki.js';

let wiki: FakeWiki;
let gw: GatewayHarness;
let session: { cookie: string; csrf: string };

beforeAll(async () => {
  wiki = new FakeWiki();
  await wiki.start();
  gw = await startGateway(inject('postgresAdminUrl'), { NOTES_URL: wiki.url, MEDIA_URL: wiki.url });
  session = await signIn(gw);
});

afterAll(async () => {
  await gw?.close();
  await wiki?.stop();
});

const html = { accept: 'text/html' };
const post = (path: string) =>
  gw.http().post(path).set('cookie', session.cookie).set(html).type('form');
const get = (path: string) => gw.http().get(path).set('cookie', session.cookie).set(html);

describe('editing pages through forms (no JavaScript)', () => {
  it('creates a page and redirects to it', async () => {
    const res = await post('/new').send({
      _csrf: session.csrf,
      title: 'Deploy guide',
      body: 'Use **Argo CD**.\r\n',
      tags: 'ops, deploy',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/notes/deploy-guide');
    const note = wiki.find('deploy-guide')!;
    expect(note.body).toBe('Use **Argo CD**.\n');
    expect(note.tags).toEqual(['ops', 'deploy']);
  });

  it('re-shows the form with the text when the title is missing', async () => {
    const res = await post('/new').send({
      _csrf: session.csrf,
      title: ' ',
      body: 'keep this text',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Give the page a title.');
    expect(res.text).toContain('keep this text');
  });

  it('refuses a form without the CSRF token', async () => {
    const res = await post('/new').send({ title: 'Sneaky', body: 'x' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form expired');
    expect(wiki.find('sneaky')).toBeUndefined();
  });

  it('saves an edit at the current version', async () => {
    const note = wiki.seed('Save me', 'v1');
    const res = await post('/notes/save-me/edit').send({
      _csrf: session.csrf,
      id: note.id,
      version: '1',
      title: 'Save me',
      body: 'v2',
      tags: '',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/notes/save-me');
    expect(wiki.find('save-me')!.body).toBe('v2');
  });

  it('never overwrites a newer version: shows both versions to merge', async () => {
    const note = wiki.seed('Shared page', 'line one\nline two\n');
    wiki.update(note, { body: 'line one\nline two changed by Grace\n' }, 'Grace');
    const res = await post('/notes/shared-page/edit').send({
      _csrf: session.csrf,
      id: note.id,
      version: '1',
      title: 'Shared page',
      body: 'line one\nmy own line two\n',
      tags: '',
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Someone else saved this page while you were editing');
    expect(res.text).toContain('line two changed by Grace');
    expect(res.text).toContain('my own line two');
    expect(res.text).toContain('<tr class="diff-added">');
    // The merge form now carries the version it was shown, so saving the merge succeeds.
    expect(res.text).toContain('name="version" value="2"');
    expect(wiki.find('shared-page')!.body).toBe('line one\nline two changed by Grace\n');
    const merged = await post('/notes/shared-page/edit').send({
      _csrf: session.csrf,
      id: note.id,
      version: '2',
      title: 'Shared page',
      body: 'merged',
      tags: '',
    });
    expect(merged.status).toBe(303);
    expect(wiki.find('shared-page')!.body).toBe('merged');
  });

  it('restores an old revision', async () => {
    const note = wiki.seed('History page', 'first text');
    wiki.update(note, { body: 'second text' });
    const res = await post('/notes/history-page/revisions/1/restore').send({ _csrf: session.csrf });
    expect(res.status).toBe(303);
    expect(wiki.find('history-page')!.body).toBe('first text');
    expect(wiki.find('history-page')!.version).toBe(3);
  });

  it('moves a page to the trash and restores it', async () => {
    const note = wiki.seed('Old idea', 'meh');
    const trashed = await post('/notes/old-idea/delete').send({ _csrf: session.csrf });
    expect(trashed.status).toBe(303);
    expect(trashed.headers.location).toBe('/trash?deleted=old-idea');
    const trash = await get('/trash?deleted=old-idea');
    expect(trash.text).toContain('Moved “Old idea” to the trash');
    const restored = await post(`/trash/${note.id}/restore`).send({ _csrf: session.csrf });
    expect(restored.headers.location).toBe('/notes/old-idea');
    expect(wiki.find('old-idea')).toBeDefined();
  });
});

describe('htmx behaviour', () => {
  it('renders a live preview fragment', async () => {
    const res = await gw
      .http()
      .post('/preview')
      .set('cookie', session.cookie)
      .set('hx-request', 'true')
      .set('x-csrf-token', session.csrf)
      .type('form')
      .send({ body: '# Hi\n\n<script>x</script> [[Nowhere]]' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1 id="section-hi">Hi</h1>');
    expect(res.text).toContain('&lt;script&gt;');
    expect(res.text).toContain('wikilink-missing');
    expect(res.text).not.toContain('<title>');
  });

  it('follows the save redirect and answers the fragment', async () => {
    wiki.seed('Boosted', 'a');
    const res = await gw
      .http()
      .post('/notes/boosted/edit')
      .redirects(1)
      .set('cookie', session.cookie)
      .set('hx-request', 'true')
      .set('x-csrf-token', session.csrf)
      .type('form')
      .send({ version: '1', title: 'Boosted', body: 'b' });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^<title>Boosted · Lateral<\/title>/);
  });
});

describe('images', () => {
  it('uploads a pasted image to media and answers the markdown to insert', async () => {
    const res = await gw
      .http()
      .post('/media/upload')
      .set('cookie', session.cookie)
      .set('x-csrf-token', session.csrf)
      .attach('file', Buffer.from('fake heic bytes'), {
        filename: 'IMG_0001.HEIC',
        contentType: 'image/heic',
      });
    expect(res.status).toBe(201);
    expect(res.body.markdown).toMatch(/^!\[IMG 0001\]\(\/api\/v1\/media\/m\d+#w=4032&h=3024\)$/);
    expect(wiki.uploads.at(-1)?.contentType).toMatch(/^multipart\/form-data/);
  });

  it('refuses an upload without the CSRF header', async () => {
    const res = await gw
      .http()
      .post('/media/upload')
      .set('cookie', session.cookie)
      .attach('file', Buffer.from('x'), 'a.png');
    expect(res.status).toBe(403);
  });
});

describe('import page', () => {
  it('imports a Notion export zip and lists what it created', async () => {
    const zip = zipSync({
      'Export/Team handbook 0123456789abcdef0123456789abcdef.md': strToU8(
        '# Team handbook\n\nTags: people\n\nSee [On-call](On-call%20fedcba9876543210fedcba9876543210.md).\n',
      ),
      'Export/On-call fedcba9876543210fedcba9876543210.md': strToU8('# On-call\n\nPage the SRE.\n'),
    });
    const res = await gw
      .http()
      .post(`/import?_csrf=${encodeURIComponent(session.csrf)}`)
      .set('cookie', session.cookie)
      .set(html)
      .attach('file', Buffer.from(zip), 'export.zip');
    expect(res.status).toBe(200);
    expect(res.text.replace(/\s+/g, ' ')).toContain('2 new pages, 0 images.');
    expect(res.text).toContain('href="/notes/team-handbook"');
    expect(wiki.find('team-handbook')!.body).toContain('[[On-call');
  });

  it('explains a file it cannot import', async () => {
    const res = await gw
      .http()
      .post(`/import?_csrf=${encodeURIComponent(session.csrf)}`)
      .set('cookie', session.cookie)
      .set(html)
      .attach('file', Buffer.from('GIF89a'), 'cat.gif');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Upload a markdown file (.md) or a Notion export (.zip).');
  });
});

describe('errors for people, JSON for programs', () => {
  it('sends anonymous browsers to sign in, and htmx with HX-Redirect', async () => {
    const page = await gw.http().get('/notes/x').set(html);
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fnotes%2Fx');
    const fragment = await gw.http().get('/notes/x').set('hx-request', 'true');
    expect(fragment.status).toBe(401);
    expect(fragment.headers['hx-redirect']).toBe('/login?next=%2Fnotes%2Fx');
  });

  it('renders 404 pages for unknown routes, JSON for the API', async () => {
    const page = await get('/no/such/page');
    expect(page.status).toBe(404);
    expect(page.text).toMatch(/^<!doctype html>/i);
    expect(page.text).toContain('Sign out');
    const api = await gw.http().get('/api/v1/nope').set('cookie', session.cookie);
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('route_not_found');
  });

  it('shows "Notes is unavailable, retrying…" while notes is down, and recovers', async () => {
    const port = wiki.port;
    await wiki.stop();
    try {
      const page = await get('/');
      expect(page.status).toBe(503);
      expect(page.text).toContain('Notes is unavailable, retrying…');
      expect(page.text).toContain('<meta http-equiv="refresh" content="5"');
      expect(page.text).toContain('href="/">Retry now</a>');
      const fragment = await get('/').set('hx-request', 'true').set('hx-target', 'main#main');
      expect(fragment.status).toBe(503);
      expect(fragment.text).toContain('hx-trigger="load delay:5s"');
    } finally {
      await wiki.start(port);
    }
    expect((await get('/')).status).toBe(200);
  });
});
