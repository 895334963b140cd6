import { IDENTITY_HEADER, signIdentity } from '@lateral/identity';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ADA,
  GRACE,
  READER,
  aNote,
  INTERNAL_SECRET,
  identityHeader,
  startNotes,
  type NotesHarness,
} from './notes-harness.js';

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

describe('pages', () => {
  it('creates a page with a slug, version 1, author and revision 1', async () => {
    const res = await h
      .as(ADA)
      .post('/api/v1/notes')
      .send(aNote({ title: 'Café Menu', tags: ['food', 'food', 'office'] }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: 'cafe-menu',
      title: 'Café Menu',
      tags: ['food', 'office'],
      version: 1,
      createdBy: { id: ADA.userId, name: 'Ada' },
      updatedBy: { id: ADA.userId, name: 'Ada' },
      deletedAt: null,
    });
    const { rows } = await h.sql.query(
      'SELECT number, title, author_name FROM note_revisions WHERE note_id = $1',
      [res.body.id],
    );
    expect(rows).toEqual([{ number: 1, title: 'Café Menu', author_name: 'Ada' }]);

    const bySlug = await h.as().get('/api/v1/notes/cafe-menu');
    const byId = await h.as().get(`/api/v1/notes/${res.body.id}`);
    expect(bySlug.body).toEqual(res.body);
    expect(byId.body).toEqual(res.body);
  });

  it('refuses a second page with the same title with 409 slug_taken', async () => {
    await h
      .as()
      .post('/api/v1/notes')
      .send(aNote({ title: 'Unique Title' }))
      .expect(201);
    const res = await h
      .as()
      .post('/api/v1/notes')
      .send(aNote({ title: 'unique title!' }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('slug_taken');
    const { rows } = await h.sql.query(
      "SELECT count(*)::int AS n FROM notes WHERE slug = 'unique-title'",
    );
    expect(rows[0].n).toBe(1);
  });

  it('answers an import key seen before with 200 and the existing page, and honours createdAt', async () => {
    const input = {
      ...aNote({ title: 'Imported Page' }),
      importKey: 'notion:abc',
      createdAt: '2020-05-01T08:00:00Z',
    };
    const first = await h.as().post('/api/v1/notes').send(input);
    expect(first.status).toBe(201);
    expect(first.body.createdAt).toBe('2020-05-01T08:00:00.000Z');
    const again = await h
      .as()
      .post('/api/v1/notes')
      .send({ ...input, body: 'changed' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.body).toBe(first.body.body);
  });

  it('saves a new version with updatedBy and a revision by that author', async () => {
    const created = (
      await h
        .as(ADA)
        .post('/api/v1/notes')
        .send(aNote({ title: 'Runbook' }))
    ).body;
    const res = await h
      .as(GRACE)
      .put(`/api/v1/notes/${created.id}`)
      .send({ version: 1, body: 'Page the on-call.', tags: ['ops', 'oncall'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: 2,
      body: 'Page the on-call.',
      tags: ['ops', 'oncall'],
      title: 'Runbook',
      slug: 'runbook',
      updatedBy: { name: 'Grace' },
      createdBy: { name: 'Ada' },
    });
    const revisions = await h.as().get(`/api/v1/notes/${created.id}/revisions`);
    expect(
      (revisions.body.items as { number: number; author: { name: string } }[]).map((r) => [
        r.number,
        r.author.name,
      ]),
    ).toEqual([
      [2, 'Grace'],
      [1, 'Ada'],
    ]);
    expect(revisions.body.items[0]).not.toHaveProperty('body');
    const first = await h.as().get(`/api/v1/notes/runbook/revisions/1`);
    expect(first.body).toMatchObject({ number: 1, body: created.body, author: { name: 'Ada' } });
  });

  it('answers a stale version with 409 and the current page, and writes nothing', async () => {
    const created = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Stale' }))
    ).body;
    await h.as().put(`/api/v1/notes/${created.id}`).send({ version: 1, body: 'first' }).expect(200);
    const res = await h
      .as(GRACE)
      .put(`/api/v1/notes/${created.id}`)
      .send({ version: 1, body: 'second' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('version_conflict');
    expect(res.body.error.details.current).toMatchObject({
      id: created.id,
      version: 2,
      body: 'first',
    });
    const { rows } = await h.sql.query('SELECT version, body FROM notes WHERE id = $1', [
      created.id,
    ]);
    expect(rows[0]).toEqual({ version: 2, body: 'first' });
    // A version the page never had (an editor that lost it) is stale too, not a bad request.
    const never = await h.as().put(`/api/v1/notes/${created.id}`).send({ version: 0, body: 'x' });
    expect(never.status).toBe(409);
  });

  it('renames: the slug follows the title, and old links keep working', async () => {
    const created = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Old Name' }))
    ).body;
    const linker = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Points At Old', body: 'see [[Old Name]]' }))
    ).body;
    const res = await h
      .as()
      .put(`/api/v1/notes/${created.id}`)
      .send({ version: 1, title: 'New Name' });
    expect(res.body.slug).toBe('new-name');
    await h.as().get('/api/v1/notes/new-name').expect(200);
    // The old slug still reaches the page (answered with its current slug).
    const old = await h.as().get('/api/v1/notes/old-name');
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({ id: created.id, slug: 'new-name' });
    expect(ids(await h.as().get('/api/v1/notes/new-name/backlinks'))).toEqual([linker.id]);

    // A new page with the old title takes the slug back, and the links that name it.
    const newcomer = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Old Name' }))
    ).body;
    expect((await h.as().get('/api/v1/notes/old-name')).body.id).toBe(newcomer.id);
    expect(ids(await h.as().get('/api/v1/notes/new-name/backlinks'))).toEqual([]);
    expect(ids(await h.as().get('/api/v1/notes/old-name/backlinks'))).toEqual([linker.id]);
  });

  it('restores a revision as a new version', async () => {
    const created = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Restorable', body: 'v1 text' }))
    ).body;
    await h
      .as()
      .put(`/api/v1/notes/${created.id}`)
      .send({ version: 1, body: 'v2 text' })
      .expect(200);
    const res = await h.as(GRACE).post(`/api/v1/notes/${created.id}/revisions/1/restore`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 3, body: 'v1 text', updatedBy: { name: 'Grace' } });
    const third = await h.as().get(`/api/v1/notes/${created.id}/revisions/3`);
    expect(third.body).toMatchObject({ body: 'v1 text', author: { name: 'Grace' } });
    await h.as().post(`/api/v1/notes/${created.id}/revisions/9/restore`).expect(404);
  });

  it('moves a page to the trash and back', async () => {
    const created = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Trash Me' }))
    ).body;
    await h.as().delete(`/api/v1/notes/${created.id}`).expect(204);
    await h.as().get('/api/v1/notes/trash-me').expect(404);
    const trash = await h.as().get('/api/v1/trash');
    expect(ids(trash)).toContain(created.id);
    const trashed = (trash.body.items as { id: string; deletedAt: string | null }[]).find(
      (n) => n.id === created.id,
    );
    expect(trashed?.deletedAt).toEqual(expect.any(String));
    const listed = await h.as().get('/api/v1/notes?limit=100');
    expect(ids(listed)).not.toContain(created.id);

    const restored = await h.as().post(`/api/v1/notes/${created.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: created.id, deletedAt: null, version: 1 });
    await h.as().get('/api/v1/notes/trash-me').expect(200);
    const again = await h.as().post(`/api/v1/notes/${created.id}/restore`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('note_not_deleted');
  });

  it('will not restore a trashed page over a live page that took its title', async () => {
    const old = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Reused Title' }))
    ).body;
    await h.as().delete(`/api/v1/notes/${old.id}`).expect(204);
    await h
      .as()
      .post('/api/v1/notes')
      .send(aNote({ title: 'Reused Title' }))
      .expect(201);
    const res = await h.as().post(`/api/v1/notes/${old.id}/restore`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('slug_taken');
  });
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

describe('identity', () => {
  it('answers 401 without a valid identity, but probes need none', async () => {
    const none = await h.http().get('/api/v1/notes');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const forged = await h
      .http()
      .get('/api/v1/notes')
      .set('x-lateral-identity', 'v1.a.b.editor.1.sig');
    expect(forged.status).toBe(401);
    const wrongSecret = await h
      .http()
      .post('/api/v1/notes')
      .set('x-lateral-identity', identityHeader(ADA)['x-lateral-identity']!.replace(/.$/, 'x'))
      .send(aNote({ title: 'Nope' }));
    expect(wrongSecret.status).toBe(401);
    await h.http().get('/healthz').expect(200);
    await h.http().get('/readyz').expect(200);
  });

  it('refuses a captured identity replayed with another body, route or method', async () => {
    const note = aNote({ title: 'Signed Once' });
    const header = signIdentity(ADA, INTERNAL_SECRET, {
      method: 'POST',
      path: '/api/v1/notes',
      body: JSON.stringify(note),
    });
    const other = await h
      .http()
      .post('/api/v1/notes')
      .set(IDENTITY_HEADER, header)
      .send(aNote({ title: 'Smuggled' }));
    expect([other.status, other.body.error.message]).toEqual([
      401,
      expect.stringContaining('another body'),
    ]);
    const route = await h.http().delete('/api/v1/notes/x').set(IDENTITY_HEADER, header);
    expect(route.status).toBe(401);
    const [row] = (
      await h.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM notes WHERE title = 'Smuggled'",
      )
    ).rows;
    expect(row?.n).toBe(0);
    const original = await h.http().post('/api/v1/notes').set(IDENTITY_HEADER, header).send(note);
    expect(original.status).toBe(201);
  });

  it('lets readers read but not write', async () => {
    await h.as(READER).get('/api/v1/notes').expect(200);
    const res = await h
      .as(READER)
      .post('/api/v1/notes')
      .send(aNote({ title: 'Reader Page' }));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
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
    expect(await value('lateral_db_pool_max_connections')).toBe(10);
    expect(await value('lateral_db_pool_connections', ['state="idle"'])).toBeGreaterThan(0);
  });
});
