import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADA, GRACE, aNote, startNotes, type NotesHarness } from './notes-harness.js';

let h: NotesHarness;

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
});
afterAll(async () => {
  await h?.close();
});

const lines = (...l: string[]) => l.join('\n');
const BASE = lines('# Runbook', 'step one', 'step two', 'step three', 'step four');

async function aPage(title: string) {
  const res = await h
    .as(ADA)
    .post('/api/v1/notes')
    .send(aNote({ title, body: BASE }));
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

describe('a stale save is merged three-way against the version it was read at', () => {
  it('two people edit different lines from the same version: both edits kept, 200 merged', async () => {
    const page = await aPage('Merge different lines');
    const ada = await h
      .as(ADA)
      .put(`/api/v1/notes/${page.id}`)
      .send({
        version: 1,
        body: lines('# Runbook', 'step ONE', 'step two', 'step three', 'step four'),
      });
    expect(ada.status).toBe(200);
    expect(ada.body.merged).toBeUndefined();

    const grace = await h
      .as(GRACE)
      .put(`/api/v1/notes/${page.id}`)
      .send({
        version: 1,
        body: lines('# Runbook', 'step one', 'step two', 'step three', 'step FOUR'),
        tags: ['ops', 'runbook'],
      });
    expect(grace.status).toBe(200);
    expect(grace.body).toMatchObject({
      version: 3,
      merged: true,
      mergedWith: ['Ada'],
      body: lines('# Runbook', 'step ONE', 'step two', 'step three', 'step FOUR'),
      tags: ['ops', 'runbook'],
      updatedBy: { name: 'Grace' },
    });
    const row = await h.sql.query('SELECT body, version FROM notes WHERE id = $1', [page.id]);
    expect(row.rows[0]).toEqual({ body: grace.body.body, version: 3 });
    const revision = await h.sql.query(
      'SELECT body, author_name FROM note_revisions WHERE note_id = $1 AND number = 3',
      [page.id],
    );
    expect(revision.rows[0]).toEqual({ body: grace.body.body, author_name: 'Grace' });
  });

  it('overlapping edits: 409 with the page now, mine, and the merge with conflict markers; nothing written', async () => {
    const page = await aPage('Merge overlapping lines');
    await h
      .as(ADA)
      .put(`/api/v1/notes/${page.id}`)
      .send({
        version: 1,
        body: lines('# Runbook', 'step one', 'Ada: two', 'step three', 'step four'),
      })
      .expect(200);
    const grace = await h
      .as(GRACE)
      .put(`/api/v1/notes/${page.id}`)
      .send({
        version: 1,
        body: lines('# Runbook', 'step one', 'Grace: two', 'step three', 'step 4'),
      });
    expect(grace.status).toBe(409);
    expect(grace.body.error.code).toBe('version_conflict');
    expect(grace.body.error.details.current).toMatchObject({ version: 2 });
    expect(grace.body.error.details.yours.body).toContain('Grace: two');
    expect(grace.body.error.details.merge).toEqual({
      text: lines(
        '# Runbook',
        'step one',
        '<<<<<<< mine',
        'Grace: two',
        '=======',
        'Ada: two',
        '>>>>>>> theirs',
        'step three',
        'step 4',
      ),
      conflicts: 1,
      fields: [],
    });
    const row = await h.sql.query('SELECT version FROM notes WHERE id = $1', [page.id]);
    expect(row.rows[0].version).toBe(2);
  });

  it('titles: only one side renamed → merged with the rename; both renamed differently → conflict', async () => {
    const page = await aPage('Merge titles');
    await h
      .as(ADA)
      .put(`/api/v1/notes/${page.id}`)
      .send({ version: 1, title: 'Merge titles (renamed)' })
      .expect(200);
    const grace = await h
      .as(GRACE)
      .put(`/api/v1/notes/${page.id}`)
      .send({ version: 1, title: 'Merge titles', body: `${BASE}\n\nGrace's note` });
    expect(grace.status).toBe(200);
    expect(grace.body).toMatchObject({ title: 'Merge titles (renamed)', merged: true });
    expect(grace.body.body).toContain("Grace's note");

    await h
      .as(ADA)
      .put(`/api/v1/notes/${page.id}`)
      .send({ version: 3, title: 'Ada title' })
      .expect(200);
    const third = await h
      .as(GRACE)
      .put(`/api/v1/notes/${page.id}`)
      .send({ version: 3, title: 'Grace title' });
    expect(third.status).toBe(409);
    expect(third.body.error.details.merge).toMatchObject({ conflicts: 1, fields: ['title'] });
  });
});
