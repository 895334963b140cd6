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
});
