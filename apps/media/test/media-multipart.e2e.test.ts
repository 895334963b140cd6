import { IDENTITY_HEADER, signIdentity, STREAMED_BODY } from '@lateral/identity';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { plainJpeg } from './fixtures.js';
import { INTERNAL_SECRET, startMedia, type MediaHarness } from './media-harness.js';

const BOUNDARY = 'lateral-test-boundary';
const head =
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n` +
  `Content-Type: image/jpeg\r\n\r\n`;

describe('malformed multipart uploads to media', () => {
  let media: MediaHarness;
  let jpeg: Buffer;

  beforeAll(async () => {
    media = await startMedia(inject('postgresAdminUrl'), {});
    jpeg = await plainJpeg(32, 24);
  });
  afterAll(() => media?.close());

  const send = (contentType: string, body: Buffer) =>
    media
      .http()
      .post('/api/v1/media')
      // Signed as the gateway signs an upload it streams through.
      .set(
        IDENTITY_HEADER,
        signIdentity({ userId: 'user-1', name: 'user-1', role: 'editor' }, INTERNAL_SECRET, {
          method: 'POST',
          path: '/api/v1/media',
          body: STREAMED_BODY,
        }),
      )
      .set('content-type', contentType)
      .send(body);

  it.each([
    [
      'no boundary in Content-Type',
      'multipart/form-data',
      () => Buffer.concat([Buffer.from(head), jpeg, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]),
    ],
    [
      'a truncated body',
      `multipart/form-data; boundary=${BOUNDARY}`,
      () => Buffer.concat([Buffer.from(head), jpeg.subarray(0, 100)]),
    ],
    [
      'no closing boundary',
      `multipart/form-data; boundary=${BOUNDARY}`,
      () => Buffer.concat([Buffer.from(head), jpeg, Buffer.from(`\r\n--${BOUNDARY}\r\n`)]),
    ],
  ])('answers 400 malformed_multipart for %s, before storing anything', async (_, type, body) => {
    const res = await send(type, body());
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('malformed_multipart');
    expect((await media.http().get('/healthz')).status).toBe(200);
  });

  it('still stores a well-formed upload', async () => {
    const body = Buffer.concat([Buffer.from(head), jpeg, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
    const res = await send(`multipart/form-data; boundary=${BOUNDARY}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
