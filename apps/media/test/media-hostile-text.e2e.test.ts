import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { plainJpeg } from './fixtures.js';
import { identity, startMedia, type MediaHarness } from './media-harness.js';

describe('media refuses NUL, hostile JSON and over-long paths as 4xx JSON', () => {
  let media: MediaHarness;

  beforeAll(async () => {
    media = await startMedia(inject('postgresAdminUrl'));
  });
  afterAll(() => media?.close());

  const count = async () =>
    (await media.sql<{ n: number }>('SELECT count(*)::int AS n FROM media_items'))[0]!.n;

  it.each([
    '/api/v1/media/a%00b',
    '/api/v1/media/a%00b/meta',
    '/api/v1/media?cursor=%00',
    '/api/v1/media/x?format=web%00p',
  ])('NUL in %s: 400 invalid_characters', async (url) => {
    const res = await media.http().get(url).set(identity());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_characters');
  });

  it('a control character in the list cursor: 400 invalid_characters', async () => {
    const res = await media.http().get('/api/v1/media?cursor=a%07b').set(identity());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_characters');
  });

  it('an upload with NUL in its address stores nothing', async () => {
    const before = await count();
    const res = await media
      .http()
      .post('/api/v1/media?x=%00')
      .set(identity())
      .attach('file', await plainJpeg(32, 32), 'a.jpg');
    expect(res.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('deeply nested JSON: 400 malformed_json', async () => {
    const res = await media
      .http()
      .post('/api/v1/media')
      .set(identity())
      .set('content-type', 'application/json')
      .send('['.repeat(100_000));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('an over-long id: our JSON 414, no echo', async () => {
    const res = await media
      .http()
      .get(`/api/v1/media/${'m'.repeat(5000)}`)
      .set(identity());
    expect(res.status).toBe(414);
    expect(res.body.error.code).toBe('uri_too_long');
    expect(res.text).not.toContain('mmmmmmmm');
  });
});
