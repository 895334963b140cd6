import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aNote, identityHeader, startNotes, type NotesHarness } from './notes-harness.js';

let h: NotesHarness;

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
  await h
    .as()
    .post('/api/v1/notes')
    .send(aNote({ title: 'Search Target', body: 'drop tables safely' }));
});
afterAll(async () => {
  await h?.close();
});

const countNotes = async () =>
  (await h.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM notes')).rows[0]!.n;

describe('bad input gets a clear 4xx, never a 500', () => {
  it('malformed JSON: 400 malformed_json', async () => {
    const res = await h
      .as()
      .post('/api/v1/notes')
      .set('content-type', 'application/json')
      .send('{"title": "x", body: }');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('a 2 MB body: 413 payload_too_large, nothing stored', async () => {
    const before = await countNotes();
    const res = await h
      .as()
      .post('/api/v1/notes')
      .send({ title: 'Huge', body: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await countNotes()).toBe(before);
  });

  it.each([
    ['missing title', { body: 'no title' }, 'title'],
    ['empty title', { title: '   ', body: '' }, 'title'],
    ['title of the wrong type', { title: 42, body: '' }, 'title'],
    ['tags not a list', { title: 'T', tags: 'ops' }, 'tags'],
    ['a tag of the wrong type', { title: 'T', tags: [1] }, 'tags.0'],
    ['a bad createdAt', { title: 'T', createdAt: 'last tuesday' }, 'createdAt'],
  ])('create with %s: 400 validation_failed naming the field', async (_name, body, field) => {
    const res = await h.as().post('/api/v1/notes').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: field }));
  });

  it('update without a version, or with a string version: 400', async () => {
    const note = (await h.as().get('/api/v1/notes/search-target')).body;
    for (const body of [
      { body: 'x' },
      { body: 'x', version: '1' },
      { version: -1 },
      { version: 1.5 },
    ]) {
      const res = await h.as().put(`/api/v1/notes/${note.id}`).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('a JSON array or a non-JSON content type instead of an object: 4xx', async () => {
    const array = await h
      .as()
      .post('/api/v1/notes')
      .send([{ title: 'x' }]);
    expect(array.status).toBe(400);
    const text = await h
      .as()
      .post('/api/v1/notes')
      .set('content-type', 'text/plain')
      .send('title=x');
    expect(text.status).toBe(400);
    expect(text.body.error.code).toBe('validation_failed');
  });

  it.each([
    ['an unknown slug', '/api/v1/notes/no-such-page'],
    ['an unknown id', '/api/v1/notes/00000000-0000-4000-8000-000000000000'],
    ['revisions of an unknown page', '/api/v1/notes/no-such-page/revisions'],
    ['backlinks of an unknown page', '/api/v1/notes/no-such-page/backlinks'],
  ])('%s: 404 note_not_found', async (_name, url) => {
    const res = await h.as().get(url);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('note_not_found');
  });

  it('unknown revision: 404 revision_not_found; a non-number revision: 400', async () => {
    expect((await h.as().get('/api/v1/notes/search-target/revisions/99')).body.error.code).toBe(
      'revision_not_found',
    );
    expect((await h.as().get('/api/v1/notes/search-target/revisions/abc')).status).toBe(400);
  });

  it('updating, deleting or restoring an unknown page: 404', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await h.as().put(`/api/v1/notes/${id}`).send({ version: 1, body: 'x' })).status).toBe(
      404,
    );
    expect((await h.as().delete(`/api/v1/notes/${id}`)).status).toBe(404);
    expect((await h.as().post(`/api/v1/notes/${id}/restore`)).status).toBe(404);
    expect((await h.as().post('/api/v1/notes/not-a-uuid/restore')).status).toBe(404);
  });

  it('bad list parameters: 400', async () => {
    expect((await h.as().get('/api/v1/notes?limit=0')).status).toBe(400);
    expect((await h.as().get('/api/v1/notes?limit=abc')).status).toBe(400);
    expect((await h.as().get('/api/v1/notes?limit=100000')).status).toBe(400);
    expect((await h.as().get('/api/v1/search')).status).toBe(400);
    expect((await h.as().get(`/api/v1/search?q=${'a'.repeat(300)}`)).status).toBe(400);
  });

  it('unknown routes: 404 route_not_found', async () => {
    const res = await h.as().get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('route_not_found');
  });

  it.each([
    "'; DROP TABLE notes; --",
    "drop' OR '1'='1",
    'tables:* & !safely | (',
    '\\x00 %% _ \\',
    '"unbalanced',
    'safe<->ly',
  ])('SQL-injection-looking search %j: 200 with ordinary results', async (q) => {
    const res = await h.as().get('/api/v1/search').query({ q });
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.items)).toBe(true);
    expect(await countNotes()).toBeGreaterThan(0);
  });

  it('an injection-looking query still finds the words it contains', async () => {
    const res = await h.as().get('/api/v1/search').query({ q: "drop' tables --" });
    expect((res.body.items as { slug: string }[]).map((i) => i.slug)).toEqual(['search-target']);
  });

  it('a header signed with another secret: 401', async () => {
    const header = identityHeader()['x-lateral-identity']!;
    const res = await h.http().get('/api/v1/notes').set('x-lateral-identity', `${header}x`);
    expect(res.status).toBe(401);
  });
});
