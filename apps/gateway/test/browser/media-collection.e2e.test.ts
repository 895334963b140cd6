// Collecting unused images on the real notes and media (run from their build) behind the
// gateway: what a page shows now or in an old version stays, what only a page deleted for good
// showed, or nothing ever showed, goes. Uploads are made old in media's database (the grace
// period is hours); everything else is HTTP.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { landscapePng } from './fixtures.js';
import { startRealStack, upstreamsBuilt } from './real-stack.js';
import { ApiSession } from './seed.js';

let stack: Awaited<ReturnType<typeof startRealStack>>;
let admin: ApiSession;

beforeAll(async () => {
  if (!upstreamsBuilt()) return;
  stack = await startRealStack(inject('postgresAdminUrl'), {
    MEDIA_COLLECTION_INTERVAL_HOURS: '0',
  });
  admin = await ApiSession.signIn(stack.baseUrl);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const upload = async (seed: number) =>
  (await admin.uploadImage(landscapePng(200 + seed, 120), `photo-${seed}.png`, 'image/png')).id;
const img = (id: string) => `![photo](/api/v1/media/${id})`;

describe.runIf(upstreamsBuilt())('collecting unused images on the real services', () => {
  it('keeps what a page or an old version shows, deletes what nothing shows any more', async () => {
    const [onPage, inOldVersion, neverShown, onPurgedPage] = await Promise.all(
      [1, 2, 3, 4].map(upload),
    );
    const page = await admin.createNote('Office', `${img(onPage!)} ${img(inOldVersion!)}`);
    await admin.updateNote(page.id, page.version, { title: 'Office', body: img(onPage!) });
    const purged = await admin.createNote('Old office', img(onPurgedPage!));
    await admin.call('DELETE', `/api/v1/notes/${purged.id}`);
    await admin.call('DELETE', `/api/v1/notes/${purged.id}?permanent=true`);

    // Two days old: past the 24 h grace period.
    const media = new pg.Client({ connectionString: stack.databaseUrls.media });
    await media.connect();
    try {
      await media.query(`UPDATE media_items SET created_at = now() - interval '2 days'`);
    } finally {
      await media.end();
    }

    const result = await admin.call<{ checked: number; deleted: number }>(
      'POST',
      '/api/v1/admin/media-collection',
    );
    expect(result).toEqual({ checked: 4, deleted: 2 });
    expect(await admin.statusOf(`/api/v1/media/${onPage!}`)).toBe(200);
    expect(await admin.statusOf(`/api/v1/media/${inOldVersion!}`)).toBe(200);
    expect(await admin.statusOf(`/api/v1/media/${neverShown!}`)).toBe(404);
    expect(await admin.statusOf(`/api/v1/media/${onPurgedPage!}?w=320`)).toBe(404);
    // A second run finds nothing more to do.
    expect(await admin.call('POST', '/api/v1/admin/media-collection')).toEqual({
      checked: 2,
      deleted: 0,
    });
  });
});
