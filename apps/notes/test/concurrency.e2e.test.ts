import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADA, GRACE, aNote, startNotes, type NotesHarness } from './notes-harness.js';

let h: NotesHarness;

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
});
afterAll(async () => {
  await h?.close();
});

describe('concurrent edits never lose data', () => {
  it('two saves at the same version: one 200, one 409 carrying the current page; both texts recoverable', async () => {
    const note = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Contended', body: 'v1' }))
    ).body;
    const [a, b] = await Promise.all([
      h.as(ADA).put(`/api/v1/notes/${note.id}`).send({ version: 1, body: "Ada's text" }),
      h.as(GRACE).put(`/api/v1/notes/${note.id}`).send({ version: 1, body: "Grace's text" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    const loserText = loser === a ? "Ada's text" : "Grace's text";
    const winnerText = winner === a ? "Ada's text" : "Grace's text";

    expect(loser.body.error.code).toBe('version_conflict');
    expect(loser.body.error.details.current).toMatchObject({ version: 2, body: winnerText });
    // The loser's text comes back in the 409 (nothing typed is lost); the winner's is in the history.
    expect(loser.body.error.details.yours).toMatchObject({ body: loserText, title: 'Contended' });

    const revisions = await h.sql.query<{ number: number; body: string }>(
      'SELECT number, body FROM note_revisions WHERE note_id = $1 ORDER BY number',
      [note.id],
    );
    expect(revisions.rows).toEqual([
      { number: 1, body: 'v1' },
      { number: 2, body: winnerText },
    ]);

    // The loser merges and saves on top of the current version: nothing was lost.
    const merged = await h
      .as()
      .put(`/api/v1/notes/${note.id}`)
      .send({ version: 2, body: `${winnerText}\n${loserText}` });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ version: 3, body: `${winnerText}\n${loserText}` });
  });

  it('many saves racing on one version: exactly one lands', async () => {
    const note = (
      await h
        .as()
        .post('/api/v1/notes')
        .send(aNote({ title: 'Stampede', body: 'v1' }))
    ).body;
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        h
          .as()
          .put(`/api/v1/notes/${note.id}`)
          .send({ version: 1, body: `writer ${i}` }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(7);
    const { rows } = await h.sql.query('SELECT version FROM notes WHERE id = $1', [note.id]);
    expect(rows[0].version).toBe(2);
  });
});
