// The gateway's signed identity, as notes checks it over HTTP (libs/identity's one check).
import { IDENTITY_HEADER, signIdentity } from '@lateral/identity';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ADA,
  READER,
  aNote,
  INTERNAL_SECRET,
  identityHeader,
  startNotes,
  type NotesHarness,
} from './notes-harness.js';

let h: NotesHarness;

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
});
afterAll(async () => {
  await h?.close();
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
