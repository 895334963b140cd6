import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aNote, startNotes, type NotesHarness } from './notes-harness.js';

let h: NotesHarness;
let existing: { id: string; slug: string; version: number };

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
  existing = (
    await h
      .as()
      .post('/api/v1/notes')
      .send(aNote({ title: 'Hostile Target' }))
  ).body;
});
afterAll(async () => {
  await h?.close();
});

const count = async (table: string) =>
  (await h.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

describe('NUL and control characters: 400 invalid_characters, nothing written', () => {
  it.each([
    ['NUL in the title', { title: 'a\u0000b' }],
    ['NUL in the body', { title: 'T', body: 'body\u0000' }],
    ['NUL in a tag', { title: 'T', tags: ['o\u0000ps'] }],
    ['a C1 control in the body', { title: 'T', body: 'next\u0085line' }],
    ['a bidi override in the title', { title: 'abc\u202egnp.exe' }],
    ['a bidi isolate in a tag', { title: 'T', tags: ['\u2066x\u2069'] }],
    ['NUL in the import key', { title: 'T', importKey: 'k\u0000' }],
  ])('create with %s', async (_name, body) => {
    const before = await count('notes');
    const res = await h.as().post('/api/v1/notes').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_characters');
    expect(await count('notes')).toBe(before);
  });

  it('update with NUL in the body or title leaves the page as it was', async () => {
    for (const body of [{ body: 'x\u0000' }, { title: 'x\u0000' }]) {
      const res = await h
        .as()
        .put(`/api/v1/notes/${existing.id}`)
        .send({ ...body, version: existing.version });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_characters');
    }
    const now = (await h.as().get(`/api/v1/notes/${existing.id}`)).body;
    expect(now.version).toBe(existing.version);
  });

  it.each([
    '/api/v1/notes/a%00b',
    '/api/v1/notes/hostile-target%00',
    '/api/v1/notes/hostile-target/revisions?cursor=%00',
    '/api/v1/notes?tag=%00',
    '/api/v1/notes?cursor=a%00',
    '/api/v1/search?q=deploy%00',
  ])('NUL in the path or query %s', async (url) => {
    const res = await h.as().get(url);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_characters');
  });

  it('a title with zero-width characters is stored without them', async () => {
    const res = await h.as().post('/api/v1/notes').send({ title: 'Ad\u200bmin\ufeff Guide' });
    expect(res.status).toBe(201);
    expect(res.body.title).toBe('Admin Guide');
    expect(res.body.slug).toBe('admin-guide');
  });
});

describe('hostile structure', () => {
  it('deeply nested JSON: 400 malformed_json, not a stack overflow', async () => {
    const res = await h
      .as()
      .post('/api/v1/notes')
      .set('content-type', 'application/json')
      .send(`{"title":"Deep","tags":${'['.repeat(100_000)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('a page whose slug is 120 characters opens by that slug', async () => {
    const title = `${'Long title words '.repeat(10)}end`;
    const created = await h.as().post('/api/v1/notes').send({ title });
    expect(created.status).toBe(201);
    expect(created.body.slug).toHaveLength(120);
    const res = await h.as().get(`/api/v1/notes/${created.body.slug}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(created.body.id);
  });

  it('an over-long path answers our JSON 414 without echoing it', async () => {
    const res = await h.as().get(`/api/v1/notes/${'x'.repeat(5000)}`);
    expect(res.status).toBe(414);
    expect(res.body.error.code).toBe('uri_too_long');
    expect(res.text).not.toContain('xxxxxxxx');
  });
});
