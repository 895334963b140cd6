// Looking after spaces: deleting one (only when empty), never losing a space's last admin, a save
// that moves being all or nothing, "did you mean" forgetting words that moved into a private
// space, and a late autosave not bringing back the draft its owner just saved.
import { type Identity } from '@lateral/identity';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_SPACE_ID } from '../src/database/default-space.js';
import { ADA, GRACE, READER, aNote, startNotes, type NotesHarness } from './notes-harness.js';

const ADMIN: Identity = { userId: 'admin-1', name: 'Ada Admin', role: 'admin' };
/** A global editor who is in none of the private spaces below. */
const OTTO: Identity = { userId: 'otto-1', name: 'Otto', role: 'editor' };

let h: NotesHarness;

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
});
afterAll(async () => {
  await h?.close();
});

async function space(name: string, who: Identity = ADA, visibility = 'private') {
  return (await h.as(who).post('/api/v1/spaces').send({ name, visibility }).expect(201)).body as {
    id: string;
    slug: string;
  };
}

async function page(title: string, extra: Record<string, unknown> = {}, who: Identity = ADA) {
  return (
    await h
      .as(who)
      .post('/api/v1/notes')
      .send({ ...aNote({ title }), ...extra })
      .expect(201)
  ).body as { id: string; slug: string; version: number };
}

describe('deleting a space', () => {
  it('refuses while pages (live or trashed) are in it, then deletes it with its members', async () => {
    const legal = await space('Legal');
    await h
      .as(ADA)
      .put(`/api/v1/spaces/${legal.id}/members/${GRACE.userId}`)
      .send({ role: 'editor' })
      .expect(200);
    const contract = await page('Contract', { spaceId: legal.id });
    const draft = await page('Old contract', { spaceId: legal.id });
    await h.as(ADA).delete(`/api/v1/notes/${draft.id}`).expect(204);

    // A member who is no admin of the space may not; an outsider does not see it at all.
    await h.as(GRACE).delete(`/api/v1/spaces/${legal.id}`).expect(403);
    await h.as(OTTO).delete(`/api/v1/spaces/${legal.id}`).expect(404);

    const full = await h.as(ADA).delete(`/api/v1/spaces/legal`).expect(409);
    expect(full.body.error).toMatchObject({
      code: 'space_not_empty',
      details: { live: 1, trashed: 1 },
    });
    // Moving the live page out is not enough: the trashed one still belongs to the space.
    await h
      .as(ADA)
      .post(`/api/v1/notes/${contract.id}/move`)
      .send({ spaceId: DEFAULT_SPACE_ID })
      .expect(200);
    const trashedOnly = await h.as(ADA).delete(`/api/v1/spaces/${legal.id}`).expect(409);
    expect(trashedOnly.body.error.details).toEqual({ live: 0, trashed: 1 });
    await h.as(ADMIN).delete(`/api/v1/notes/${draft.id}?permanent=true`).expect(204);

    await h.as(ADA).delete(`/api/v1/spaces/${legal.id}`).expect(204);
    await h.as(ADA).get(`/api/v1/spaces/${legal.id}`).expect(404);
    const left = await h.sql.query(
      'SELECT count(*)::int AS n FROM space_members WHERE space_id = $1',
      [legal.id],
    );
    expect(left.rows[0].n).toBe(0);
    // The page moved out lives on in the default space.
    expect((await h.as(GRACE).get(`/api/v1/notes/${contract.id}`).expect(200)).body.spaceId).toBe(
      DEFAULT_SPACE_ID,
    );
  });

  it('never deletes the default space, even for a global admin', async () => {
    await page('Anything in team');
    const res = await h.as(ADMIN).delete(`/api/v1/spaces/${DEFAULT_SPACE_ID}`).expect(409);
    expect(res.body.error.code).toBe('space_protected');
    await h.as(ADMIN).get('/api/v1/spaces/team').expect(200);
  });
});

describe('the last admin of a space', () => {
  it('cannot be demoted or removed until someone else is an admin', async () => {
    const ops = await space('Ops Secrets');
    const demote = await h
      .as(ADA)
      .put(`/api/v1/spaces/${ops.id}/members/${ADA.userId}`)
      .send({ role: 'editor' })
      .expect(409);
    expect(demote.body.error.code).toBe('last_space_admin');
    // A global admin is held to the same rule: the space would be left to global admins only.
    await h.as(ADMIN).delete(`/api/v1/spaces/${ops.id}/members/${ADA.userId}`).expect(409);

    await h
      .as(ADA)
      .put(`/api/v1/spaces/${ops.id}/members/${GRACE.userId}`)
      .send({ role: 'admin' })
      .expect(200);
    await h
      .as(ADA)
      .put(`/api/v1/spaces/${ops.id}/members/${ADA.userId}`)
      .send({ role: 'reader' })
      .expect(200);
    // Now Grace is the only admin, and she is held to it too.
    await h.as(GRACE).delete(`/api/v1/spaces/${ops.id}/members/${GRACE.userId}`).expect(409);
    await h.as(GRACE).delete(`/api/v1/spaces/${ops.id}/members/${ADA.userId}`).expect(204);
    const members = (await h.as(GRACE).get(`/api/v1/spaces/${ops.id}/members`).expect(200)).body;
    expect(members.items).toEqual([
      expect.objectContaining({ userId: GRACE.userId, role: 'admin' }),
    ]);
    // One member by id; not a member: 404; a space the caller cannot read: 404 for the space.
    const one = await h
      .as(GRACE)
      .get(`/api/v1/spaces/${ops.id}/members/${GRACE.userId}`)
      .expect(200);
    expect(one.body).toMatchObject({ userId: GRACE.userId, role: 'admin' });
    const gone = await h
      .as(GRACE)
      .get(`/api/v1/spaces/${ops.id}/members/${ADA.userId}`)
      .expect(404);
    expect(gone.body.error.code).toBe('not_found');
    const hidden = await h
      .as(OTTO)
      .get(`/api/v1/spaces/${ops.id}/members/${GRACE.userId}`)
      .expect(404);
    expect(hidden.body.error.code).toBe('space_not_found');
  });
});

describe('a save that moves the page', () => {
  it('is all or nothing: a stale save moves nothing, a refused move saves nothing', async () => {
    const target = await space('Archive');
    const a = await page('Atomic Root');
    const child = await page('Atomic Child', { parentId: a.id });
    // Someone saves first (version 2), so a save at version 1 that overlaps is a conflict.
    await h
      .as(GRACE)
      .put(`/api/v1/notes/${a.id}`)
      .send({ version: 1, body: 'Grace rewrote this line.' })
      .expect(200);
    const stale = await h
      .as(ADA)
      .put(`/api/v1/notes/${a.id}`)
      .send({ version: 1, body: 'Ada rewrote it differently.', spaceId: target.id })
      .expect(409);
    expect(stale.body.error.code).toBe('version_conflict');
    const after = (await h.as(ADA).get(`/api/v1/notes/${a.id}`).expect(200)).body;
    expect(after).toMatchObject({ spaceId: DEFAULT_SPACE_ID, version: 2 });

    // A parent below the page itself: the move is refused and the new text is not saved either.
    const cycle = await h
      .as(ADA)
      .put(`/api/v1/notes/${a.id}`)
      .send({ version: 2, body: 'would be lost?', parentId: child.id })
      .expect(422);
    expect(cycle.body.error.code).toBe('invalid_parent');
    const unchanged = await h.sql.query(
      'SELECT version, body, parent_id FROM notes WHERE id = $1',
      [a.id],
    );
    expect(unchanged.rows[0]).toEqual({
      version: 2,
      body: 'Grace rewrote this line.',
      parent_id: null,
    });
    const revisions = await h.sql.query(
      'SELECT count(*)::int AS n FROM note_revisions WHERE note_id = $1',
      [a.id],
    );
    expect(revisions.rows[0].n).toBe(2);

    // Both at once, when both are fine: one new version, in the new space with its child.
    const saved = await h
      .as(ADA)
      .put(`/api/v1/notes/${a.id}`)
      .send({ version: 2, body: 'Archived.', spaceId: target.id })
      .expect(200);
    expect(saved.body).toMatchObject({ spaceId: target.id, version: 3, body: 'Archived.' });
    expect((await h.as(ADA).get(`/api/v1/notes/${child.id}`).expect(200)).body.spaceId).toBe(
      target.id,
    );
  });
});

describe('"did you mean" after a move into a private space', () => {
  it('stops spelling the moved page’s words for people outside that space', async () => {
    const hr = await space('People Ops');
    await h
      .as(ADA)
      .put(`/api/v1/spaces/${hr.id}/members/${READER.userId}`)
      .send({ role: 'reader' })
      .expect(200);
    await page('Budgeting FAQ', { body: 'How budgeting works here.' });
    const plan = await page('Budgets Plan', { body: 'Budgets planned: the quokkadivision.' });

    const search = (who: Identity, q: string) =>
      h
        .as(who)
        .get(`/api/v1/search?q=${encodeURIComponent(q)}`)
        .expect(200);
    // In the team space the closest spelling is the plan's own word.
    expect((await search(GRACE, 'budgetz')).body.suggestion).toBe('budgets');

    await h.as(ADA).post(`/api/v1/notes/${plan.id}/move`).send({ spaceId: hr.id }).expect(200);
    // Grace cannot read People Ops: only the team page's word is offered now.
    const outside = (await search(GRACE, 'budgetz')).body;
    expect(outside.suggestion).toBe('budgeting');
    expect(JSON.stringify(outside)).not.toMatch(/Budgets Plan|quokkadivision|budgets/i);
    // A member still gets the moved page's words.
    expect((await search(READER, 'budgetz')).body.suggestion).toBe('budgets');
    const terms = await h.sql.query(
      `SELECT space_id::text FROM space_search_terms WHERE term = 'quokkadivision'`,
    );
    expect(terms.rows).toEqual([{ space_id: hr.id }]);
  });
});

describe('a late autosave', () => {
  it('does not bring back a draft of a version its owner has saved since', async () => {
    const p = await page('Autosaved');
    const draft = (body: string, baseVersion: number) => ({
      title: 'Autosaved',
      body,
      tags: [],
      baseVersion,
    });
    await h.as(ADA).put(`/api/v1/notes/${p.id}/draft`).send(draft('typing', 1)).expect(200);
    await h.as(ADA).put(`/api/v1/notes/${p.id}`).send({ version: 1, body: 'saved' }).expect(200);
    await h.as(ADA).get(`/api/v1/notes/${p.id}/draft`).expect(404);

    // The autosave sent just before the save arrives after it: refused, nothing stored.
    const late = await h
      .as(ADA)
      .put(`/api/v1/notes/${p.id}/draft`)
      .send(draft('typing more', 1))
      .expect(409);
    expect(late.body.error.code).toBe('draft_stale');
    await h.as(ADA).get(`/api/v1/notes/${p.id}/draft`).expect(404);

    // Someone else's newer version does not make Ada's draft stale (a save of it merges).
    await h.as(GRACE).put(`/api/v1/notes/${p.id}`).send({ version: 2, title: 'Autosaved!' });
    await h.as(ADA).put(`/api/v1/notes/${p.id}/draft`).send(draft('from v2', 2)).expect(200);
    // And a draft started from the version Ada saved is fine.
    await h.as(ADA).put(`/api/v1/notes/${p.id}/draft`).send(draft('from v3', 3)).expect(200);
  });
});
