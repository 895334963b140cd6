import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { BOOTSTRAP_TOKEN, signIn, startGateway, type GatewayHarness } from './gateway-harness.js';

interface FakeNote {
  id: string;
  slug: string;
  title: string;
  body: string;
  importKey: string;
  deletedAt: string | null;
}

/** notes stand-in that honours importKey the way the real service does (trash included). */
function fakeNotes(upstream: FakeUpstream) {
  const byKey = new Map<string, FakeNote>();
  let next = 1;
  upstream.handler = (req, res) => {
    const input = JSON.parse(req.body.toString()) as Omit<FakeNote, 'id' | 'slug' | 'deletedAt'>;
    const existing = byKey.get(input.importKey);
    const note = existing ?? { id: `n${next++}`, slug: `s${next}`, deletedAt: null, ...input };
    byKey.set(input.importKey, note);
    res
      .writeHead(existing ? 200 : 201, { 'content-type': 'application/json' })
      .end(JSON.stringify({ ...note, tags: [], version: 1 }));
  };
  return {
    trash: (id: string) => {
      for (const note of byKey.values())
        if (note.id === id) note.deletedAt = '2026-01-01T00:00:00Z';
    },
  };
}

describe('single-file import identity (#10)', () => {
  const notes = new FakeUpstream();
  let gw: GatewayHarness;
  let store: ReturnType<typeof fakeNotes>;
  const sessions: Record<string, { cookie: string; csrf: string }> = {};

  beforeAll(async () => {
    await notes.start();
    store = fakeNotes(notes);
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: notes.url,
      MEDIA_URL: notes.url,
    });
    for (const who of ['ana', 'bob']) {
      const email = `${who}@example.test`;
      await gw
        .http()
        .post('/api/v1/users')
        .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
        .send({ email, name: who, password: 'import-password-1' });
      sessions[who] = await signIn(gw, email, 'import-password-1');
    }
  });
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
  });

  async function importAs(who: string, content: string, name = 'x.md') {
    const session = sessions[who]!;
    const res = await gw
      .http()
      .post('/api/v1/import')
      .set('cookie', session.cookie)
      .set('x-csrf-token', session.csrf)
      .attach('file', Buffer.from(content), name);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return (res.body as { notes: { id: string; created: boolean }[] }).notes[0]!;
  }

  it("never answers another person's page for the same file name", async () => {
    const ana = await importAs('ana', '# Plan\n\nAna’s plan.');
    const bob = await importAs('bob', '# Plan\n\nBob’s unrelated plan.');
    expect(ana.created).toBe(true);
    expect([bob.created, bob.id === ana.id]).toEqual([true, false]);
  });

  it('makes a new page for new content under the same name; the same bytes again are idempotent', async () => {
    const first = await importAs('ana', '# Notes\n\nVersion one.', 'notes.md');
    const changed = await importAs('ana', '# Notes\n\nVersion two.', 'notes.md');
    expect([changed.created, changed.id === first.id]).toEqual([true, false]);
    const again = await importAs('ana', '# Notes\n\nVersion one.', 'notes.md');
    expect([again.created, again.id]).toEqual([false, first.id]);
  });

  it('never returns a trashed page: a new one is made, and found again after', async () => {
    const first = await importAs('ana', '# Trash me\n\nBody.', 't.md');
    store.trash(first.id);
    const revived = await importAs('ana', '# Trash me\n\nBody.', 't.md');
    expect([revived.created, revived.id === first.id]).toEqual([true, false]);
    const again = await importAs('ana', '# Trash me\n\nBody.', 't.md');
    expect([again.created, again.id]).toEqual([false, revived.id]);
  });
});
