// What pages add up to over HTTP: backlinks, tags, keyset lists, search, and the metrics they
// publish. Pages themselves: notes-api.e2e.test.ts.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sharePool } from '../src/database/generic-plans.js';
import { aNote, startNotes, type NotesHarness } from './notes-harness.js';

let h: NotesHarness;

/** The ids of a list answer's items, in order. */
const ids = (res: { body: unknown }) =>
  (res.body as { items: { id: string }[] }).items.map((n) => n.id);

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
});
afterAll(async () => {
  await h?.close();
});

describe('links', () => {
  it('finds backlinks by [[Title]], page URL and API URL, including links written before the target existed', async () => {
    const early = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Early Linker', body: 'See [[Future Page]] soon.' }))
    ).body;
    const target = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Future Page' }))
    ).body;
    const byUrl = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'URL Linker', body: 'Read [it](/notes/future-page#top).' }))
    ).body;
    const byApi = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'API Linker', body: `GET /api/v1/notes/${target.id}` }))
    ).body;
    await h
      .as()
      .post('/api/v1/notes')
      .send(aNote({ title: 'Code Only', body: '`[[Future Page]]`' }));

    const res = await h.as().get('/api/v1/notes/future-page/backlinks');
    expect(res.status).toBe(200);
    expect(ids(res).sort()).toEqual([early.id, byUrl.id, byApi.id].sort());
    expect(res.body.nextCursor).toBeNull();

    // Editing the link away removes the backlink; trashed linkers do not count.
    await h
      .as()
      .put(`/api/v1/notes/${early.id}`)
      .send({ version: 1, body: 'no link now' })
      .expect(200);
    await h.as().delete(`/api/v1/notes/${byUrl.id}`).expect(204);
    const after = await h.as().get(`/api/v1/notes/${target.id}/backlinks`);
    expect(ids(after)).toEqual([byApi.id]);
  });
});

describe('tags and lists', () => {
  it('counts tags over live pages and pages through a tag with an opaque cursor', async () => {
    const tagged: string[] = [];
    for (let i = 0; i < 5; i++) {
      tagged.push(
        (
          await h
            .as()
            .post('/api/v1/notes')
            .send(aNote({ title: `Tagged ${i}`, tags: ['paging-test'] }))
        ).body.id,
      );
    }
    const tags = await h.as().get('/api/v1/tags');
    expect(tags.body.items).toContainEqual({ tag: 'paging-test', count: 5 });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await h
        .as()
        .get(`/api/v1/notes?tag=paging-test&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...ids(res));
      expect(res.body.items[0]).not.toHaveProperty('body');
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...tagged].reverse());

    await h.as().delete(`/api/v1/notes/${tagged[0]}`).expect(204);
    const after = await h.as().get('/api/v1/tags');
    expect(after.body.items).toContainEqual({ tag: 'paging-test', count: 4 });
  });

  it('refuses a forged or tampered cursor with 400 invalid_cursor', async () => {
    const real = (await h.as().get('/api/v1/notes?limit=1')).body.nextCursor as string;
    const tampered = `${real.slice(0, -2)}${real.endsWith('AA') ? 'BB' : 'AA'}`;
    // A revision-number cursor where a (time, id) cursor is expected.
    const foreign = Buffer.from('{"n":2}').toString('base64url');
    for (const cursor of ['bm90LWEtY3Vyc29y', tampered, foreign]) {
      const res = await h.as().get(`/api/v1/notes?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_cursor');
    }
  });
});

describe('search over HTTP', () => {
  it('answers ranked hits with <mark> snippets, and a suggestion for a typo', async () => {
    await h
      .as()
      .post('/api/v1/notes')
      .send(aNote({ title: 'Observability Primer', body: 'Dashboards & alerts for <every> team.' }))
      .expect(201);
    const hits = await h.as().get('/api/v1/search?q=dashboards');
    expect(hits.status).toBe(200);
    expect(hits.body.items[0]).toMatchObject({
      slug: 'observability-primer',
      title: 'Observability Primer',
      match: 'fulltext',
      tags: ['ops'],
    });
    expect(hits.body.items[0].snippet).toContain('<mark>Dashboards</mark> &amp; alerts');
    expect(hits.body.items[0].snippet).not.toMatch(/<(?!\/?mark>)/);
    const typo = await h.as().get('/api/v1/search?q=observabilty%20primr');
    expect(typo.body.suggestion).toBe('observability primer');
    const tagged = await h.as().get('/api/v1/search?q=dashboards&tag=nope');
    expect(tagged.body.items).toEqual([]);
  });
});

describe('metrics', () => {
  /** The value of the series `name` whose labels include all of `labels` (0 when absent). */
  const value = async (name: string, labels: string[] = []) => {
    const text = await h.metrics.registry.metrics();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const saves = (result: string) => value('lateral_notes_saves_total', [`result="${result}"`]);
  const searches = (kind: string) =>
    value('lateral_notes_search_duration_seconds_count', [`kind="${kind}"`]);

  it('counts each save by its result', async () => {
    const before = {
      created: await saves('created'),
      updated: await saves('updated'),
      conflict: await saves('conflict'),
    };
    const note = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Counted' }))
    ).body;
    await h.as().put(`/api/v1/notes/${note.id}`).send({ version: 1, body: 'b' }).expect(200);
    await h.as().put(`/api/v1/notes/${note.id}`).send({ version: 1, body: 'c' }).expect(409);
    expect(await saves('created')).toBe(before.created + 1);
    expect(await saves('updated')).toBe(before.updated + 1);
    expect(await saves('conflict')).toBe(before.conflict + 1);
  });

  it('times full-text searches, and fuzzy look-ups only when nothing matched', async () => {
    const before = { fulltext: await searches('fulltext'), fuzzy: await searches('fuzzy') };
    await h.as().get('/api/v1/search?q=deploy').expect(200);
    expect(await searches('fulltext')).toBe(before.fulltext + 1);
    expect(await searches('fuzzy')).toBe(before.fuzzy);
    await h.as().get('/api/v1/search?q=zzqqxx').expect(200);
    expect(await searches('fulltext')).toBe(before.fulltext + 2);
    expect(await searches('fuzzy')).toBe(before.fuzzy + 1);
  });

  it('exposes the database pool', async () => {
    // DATABASE_POOL_MAX 10: the data source's share (the rest plan generically).
    expect(await value('lateral_db_pool_max_connections')).toBe(sharePool(10).dataSource);
    expect(await value('lateral_db_pool_connections', ['state="idle"'])).toBeGreaterThan(0);
  });
});
