import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
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
afterEach(() => {
  wiki.mergeStale = undefined;
});
afterAll(async () => {
  await gw?.close();
  await wiki?.stop();
});

const html = { accept: 'text/html' };
const post = (path: string) =>
  gw.http().post(path).set('cookie', session.cookie).set(html).type('form');
const get = (path: string) => gw.http().get(path).set('cookie', session.cookie).set(html);

describe('a stale save in the editor', () => {
  it('merged by notes: goes to the page, which says whose changes it was merged with', async () => {
    const note = wiki.seed('Merged page', 'one\ntwo\n');
    wiki.update(note, { body: 'one\ntwo\nthree by Grace\n' });
    wiki.mergeStale = () => ({ text: 'ONE\ntwo\nthree by Grace\n', conflicts: 0 });
    const res = await post('/notes/merged-page/edit').send({
      _csrf: session.csrf,
      id: note.id,
      version: '1',
      title: 'Merged page',
      body: 'ONE\ntwo\n',
      tags: '',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/notes/merged-page?merged=Grace');
    expect(wiki.find('merged-page')!.body).toBe('ONE\ntwo\nthree by Grace\n');
    const page = await get(res.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Merged with Grace’s changes');
    expect(page.text).toContain('three by Grace');
  });

  it('a real conflict: the merge box holds the markers, the diff shows their new line as added', async () => {
    const note = wiki.seed('Clash page', 'one\ntwo\n');
    wiki.update(note, { body: 'one\ntwo by Grace\nGrace added this\n' });
    const markers =
      'one\n<<<<<<< mine\ntwo by me\n=======\ntwo by Grace\n>>>>>>> theirs\nGrace added this\n';
    wiki.mergeStale = () => ({ text: markers, conflicts: 1 });
    const res = await post('/notes/clash-page/edit').send({
      _csrf: session.csrf,
      id: note.id,
      version: '1',
      title: 'Clash page',
      body: 'one\ntwo by me\n',
      tags: '',
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain('What changed since you started editing (version 1 → 2)');
    // From the version this person started from to the saved one: Grace's line is an addition.
    const added = [...res.text.matchAll(/<tr class="diff-added">([\s\S]*?)<\/tr>/g)].map(
      (m) => m[1],
    );
    expect(added.some((row) => row!.includes('Grace added this'))).toBe(true);
    const removed = [...res.text.matchAll(/<tr class="diff-removed">([\s\S]*?)<\/tr>/g)].map(
      (m) => m[1],
    );
    expect(removed.some((row) => row!.includes('Grace added this'))).toBe(false);
    // The merge box is prefilled with notes' merge, markers escaped in the textarea.
    expect(res.text).toContain(
      '&lt;&lt;&lt;&lt;&lt;&lt;&lt; mine\ntwo by me\n=======\ntwo by Grace',
    );
    expect(res.text).toContain('1\n              place needs');
    expect(res.text).toContain('name="version" value="2"');
    expect(wiki.find('clash-page')!.body).toBe('one\ntwo by Grace\nGrace added this\n');
  });

  it('saving the merge box with its markers left in is refused until "keep them" is ticked', async () => {
    const note = wiki.seed('Marked page', 'base\n');
    const withMarkers = 'one\n<<<<<<< mine\ntwo by me\n=======\ntwo by Grace\n>>>>>>> theirs\n';
    const form = {
      _csrf: session.csrf,
      id: note.id,
      version: '1',
      title: 'Marked page',
      body: withMarkers,
      tags: '',
    };
    const refused = await post('/notes/marked-page/edit').send(form);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('still has conflict markers');
    expect(refused.text).toContain('name="keepMarkers"');
    // The text is kept in the form, and nothing was saved.
    expect(refused.text).toContain('&lt;&lt;&lt;&lt;&lt;&lt;&lt; mine');
    expect(wiki.find('marked-page')!.version).toBe(1);
    // The same on a new page.
    const fresh = await post('/new').send({
      _csrf: session.csrf,
      title: 'Markers',
      body: withMarkers,
    });
    expect(fresh.status).toBe(422);
    expect(wiki.find('markers')).toBeUndefined();

    const kept = await post('/notes/marked-page/edit').send({ ...form, keepMarkers: '1' });
    expect(kept.status).toBe(303);
    expect(wiki.find('marked-page')!.body).toBe(withMarkers);
    // A lone "=======" (a markdown heading underline) or one marker is no conflict block.
    const setext = await post('/notes/marked-page/edit').send({
      ...form,
      version: '2',
      body: 'Title\n=======\n<<<<<<< only this\n',
    });
    expect(setext.status).toBe(303);
  });
});

describe('drafts in the editor', () => {
  it('autosave stores the form as my draft and answers the status line', async () => {
    const note = wiki.seed('Drafty page', 'saved text\n');
    const res = await post('/notes/drafty-page/draft').set('hx-request', 'true').send({
      _csrf: session.csrf,
      id: note.id,
      version: '1',
      title: 'Drafty page',
      body: 'typed but not saved\r\n',
      tags: 'ops',
    });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/Draft saved \d\d:\d\d UTC/);
    expect(res.text).not.toContain('<html');
    const draft = [...wiki.drafts.values()].find((d) => d.noteId === note.id);
    expect(draft).toMatchObject({ body: 'typed but not saved\n', tags: ['ops'], baseVersion: 1 });
  });

  it('an autosave of the unchanged page (the tab was only hidden) stores nothing, and drops an old draft', async () => {
    const note = wiki.seed('Untouched page', 'as saved\n', ['ops']);
    const fields = {
      _csrf: session.csrf,
      id: note.id,
      version: '1',
      title: 'Untouched page',
      tags: 'ops',
    };
    await post('/notes/untouched-page/draft')
      .send({ ...fields, body: 'typed\n' })
      .expect(200);
    expect([...wiki.drafts.values()].some((d) => d.noteId === note.id)).toBe(true);
    const res = await post('/notes/untouched-page/draft').send({ ...fields, body: 'as saved\r\n' });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('Draft saved');
    expect([...wiki.drafts.values()].some((d) => d.noteId === note.id)).toBe(false);
  });

  it('the editor offers Restore draft / Discard and says when the page changed since', async () => {
    const note = wiki.seed('Offered page', 'saved text\n');
    await post('/notes/offered-page/draft').send({
      _csrf: session.csrf,
      id: note.id,
      version: '1',
      title: 'Offered page',
      body: 'my draft text\n',
      tags: '',
    });
    wiki.update(note, { body: 'saved text\nGrace was here\n' });

    const editor = await get('/notes/offered-page/edit');
    expect(editor.status).toBe(200);
    expect(editor.text).toContain('You have an unsaved draft of this page');
    expect(editor.text).toContain('The page changed since your draft (version 1 →');
    expect(editor.text).toContain('href="/notes/offered-page/edit?draft=restore"');
    expect(editor.text).toContain('action="/notes/offered-page/draft/discard"');
    // Until the person chooses, the form holds the saved page.
    expect(editor.text).toContain('Grace was here');

    const restored = await get('/notes/offered-page/edit?draft=restore');
    expect(restored.text).toContain('is restored below');
    expect(restored.text).toContain('my draft text');
    // The draft's base version: saving it goes through notes' merge.
    expect(restored.text).toContain('name="version" value="1"');

    const discarded = await post('/notes/offered-page/draft/discard').send({ _csrf: session.csrf });
    expect(discarded.status).toBe(303);
    expect(discarded.headers.location).toBe('/notes/offered-page/edit');
    expect([...wiki.drafts.values()].some((d) => d.noteId === note.id)).toBe(false);
    expect((await get('/notes/offered-page/edit')).text).not.toContain('unsaved draft');
  });

  it('a new page keeps its draft too, and the autosave needs the CSRF token', async () => {
    const refused = await gw
      .http()
      .post('/new/draft')
      .set('cookie', session.cookie)
      .type('form')
      .send({ title: 'x', body: 'y' });
    expect(refused.status).toBe(403);
    await post('/new/draft').send({
      _csrf: session.csrf,
      title: 'Fresh idea',
      body: 'half',
      tags: '',
    });
    const editor = await get('/new');
    expect(editor.text).toContain('You have an unsaved draft of this page');
    const restored = await get('/new?draft=restore');
    expect(restored.text).toContain('value="Fresh idea"');
    expect(restored.text).toContain('data-draft-url="/new/draft"');

    // Offered in a space's editor too; restoring it there keeps the space and the parent.
    const parent = wiki.seed('Draft parent', 'p');
    const inSpace = await get(`/spaces/team/new?parent=${parent.id}`);
    expect(inSpace.text).toContain(`href="/spaces/team/new?parent=${parent.id}&amp;draft=restore"`);
    const restoredInSpace = await get(`/spaces/team/new?parent=${parent.id}&draft=restore`);
    expect(restoredInSpace.text).toContain('value="Fresh idea"');
    expect(restoredInSpace.text).toContain('action="/spaces/team/new"');
    expect(restoredInSpace.text).toContain(`name="parentId" value="${parent.id}"`);
  });
});

describe('history of a restore', () => {
  it('history says "Restored from version n"; the diff shows title and tag changes', async () => {
    const note = wiki.seed('Tagged page', 'first', ['ops']);
    wiki.update(note, { title: 'Tagged page renamed', body: 'second', tags: ['ops', 'ci'] });
    const restore = await post('/notes/tagged-page-renamed/revisions/1/restore').send({
      _csrf: session.csrf,
    });
    expect(restore.status).toBe(303);
    const history = await get('/notes/tagged-page/revisions');
    expect(history.text).toContain('Restored from version 1');
    const diff = await get('/notes/tagged-page/diff?from=1&to=2');
    expect(diff.text).toContain('<del>Tagged page</del> → <ins>Tagged page renamed</ins>');
    expect(diff.text).toMatch(/Tags:\s*<ins>ci<\/ins>/);
  });
});
