import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { plainJpeg } from './fixtures.js';
import { type MediaJson } from '../src/media/media.view.js';
import { identity, startMedia, type MediaHarness } from './media-harness.js';

/** `GET /api/v1/media`: the caller's own uploads, newest first, a keyset page at a time. */
describe('listing media over HTTP', () => {
  let media: MediaHarness;
  let uploaded: string[];

  /** Every page of `who`'s uploads, `limit` at a time, in order. */
  async function pageThrough(who: Record<string, string>, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await media.http().get(`/api/v1/media?limit=${limit}${query}`).set(who);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      const body = page.body as { items: MediaJson[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...body.items.map((m) => m.id));
      cursor = body.nextCursor;
    } while (cursor !== null && seen.length < 100);
    return seen;
  }

  beforeAll(async () => {
    media = await startMedia(inject('postgresAdminUrl'));
    uploaded = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const res = await media
        .http()
        .post('/api/v1/media')
        .set(identity())
        .attach('file', await plainJpeg(64, 48, seed), `p${seed}.jpg`);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      uploaded.push(res.body.id as string);
    }
  });
  afterAll(() => media?.close());

  it("lists the caller's own uploads, newest first, page by page", async () => {
    const first = await media.http().get('/api/v1/media?limit=2').set(identity());
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const seen = await pageThrough(identity(), 2);
    expect(seen.toSorted()).toEqual(uploaded.toSorted());
    expect(seen[0]).toBe(uploaded[uploaded.length - 1]);
    const stranger = await media.http().get('/api/v1/media').set(identity('user-3'));
    expect(stranger.body).toEqual({ items: [], nextCursor: null });
  });

  it('pages through rows created within one millisecond without skipping or repeating', async () => {
    // created_at comes from now() (microseconds); the cursor carries milliseconds. Ids are
    // chosen so that id order disagrees with microsecond order inside the shared millisecond.
    const rows: [id: string, createdAt: string][] = [
      ['ms-z', '2026-01-01T00:00:00.124000Z'],
      ['ms-a', '2026-01-01T00:00:00.123999Z'],
      ['ms-d', '2026-01-01T00:00:00.123500Z'],
      ['ms-b', '2026-01-01T00:00:00.123002Z'],
      ['ms-c', '2026-01-01T00:00:00.123001Z'],
      ['ms-e', '2026-01-01T00:00:00.123001Z'],
      ['ms-y', '2026-01-01T00:00:00.122999Z'],
    ];
    for (const [id, createdAt] of rows) {
      await media.sql(
        `INSERT INTO media_items (id, content_type, input_format, width, height, bytes,
           upload_bytes, has_alpha, uploaded_by, created_at)
         VALUES ($1, 'image/jpeg', 'jpeg', 10, 10, 100, 100, false, 'same-ms', $2)`,
        [id, createdAt],
      );
    }
    const who = identity('same-ms');
    // Newest millisecond first; inside one millisecond by id, descending.
    const expected = ['ms-z', 'ms-e', 'ms-d', 'ms-c', 'ms-b', 'ms-a', 'ms-y'];
    expect(await pageThrough(who, 1)).toEqual(expected);
    expect(await pageThrough(who, 2)).toEqual(expected);
    expect(await pageThrough(who, 3)).toEqual(expected);
  });

  it('refuses a bad cursor with 400 invalid_cursor, as notes does', async () => {
    const real = (await media.http().get('/api/v1/media?limit=1').set(identity())).body
      .nextCursor as string;
    const tampered = `${real.slice(0, -2)}${real.endsWith('AA') ? 'BB' : 'AA'}`;
    // The pre-#13 media format ("<iso>|<id>"): a client holding one gets a clean 400.
    const oldFormat = Buffer.from(`2026-01-01T00:00:00.000Z|${uploaded[0]}`).toString('base64url');
    for (const cursor of ['nonsense', tampered, oldFormat, 'no+t/base64=']) {
      const bad = await media
        .http()
        .get(`/api/v1/media?cursor=${encodeURIComponent(cursor)}`)
        .set(identity());
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_cursor');
    }
  });
});
