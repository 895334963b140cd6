import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { BOOTSTRAP_TOKEN, signIn, startGateway, type GatewayHarness } from './gateway-harness.js';

const BOUNDARY = 'lateral-test-boundary';
const part = (filename: string, content: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
  `Content-Type: application/octet-stream\r\n\r\n${content}`;

/** Multipart bodies busboy cannot parse, each with the Content-Type it is sent with. */
const MALFORMED: [string, string, string][] = [
  [
    'no boundary in Content-Type',
    'multipart/form-data',
    `${part('a.md', '# A')}\r\n--${BOUNDARY}--\r\n`,
  ],
  ['a truncated body', `multipart/form-data; boundary=${BOUNDARY}`, part('a.md', '# A, cut off')],
  [
    'no closing boundary',
    `multipart/form-data; boundary=${BOUNDARY}`,
    `${part('a.md', '# A')}\r\n--${BOUNDARY}\r\n`,
  ],
];

describe('malformed and oversized multipart bodies through the gateway', () => {
  const notes = new FakeUpstream();
  const media = new FakeUpstream();
  let gw: GatewayHarness;
  let session: { cookie: string; csrf: string };

  beforeAll(async () => {
    await notes.start();
    await media.start();
    // What media answers for the first 64 KiB of a bigger image: not a decodable image.
    media.handler = (_req, res) =>
      res
        .writeHead(415, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'unsupported_media_type', message: 'Truncated.' } }));
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: notes.url,
      MEDIA_URL: media.url,
      MEDIA_MAX_UPLOAD_BYTES: '64KiB',
    });
    session = await signIn(gw);
  });
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
    await media.stop();
  });

  it.each(MALFORMED)(
    'POST /api/v1/import with %s → 400 malformed_multipart',
    async (_, type, body) => {
      const res = await gw
        .http()
        .post('/api/v1/import')
        .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
        .set('content-type', type)
        .send(Buffer.from(body));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('malformed_multipart');
      expect((await gw.http().get('/healthz')).status).toBe(200);
    },
  );

  it.each(MALFORMED)(
    'POST /import (the import page) with %s → 400 and the form again with a message',
    async (_, type, body) => {
      const res = await gw
        .http()
        .post('/import')
        .set('cookie', session.cookie)
        .set('x-csrf-token', session.csrf)
        .set('content-type', type)
        .send(Buffer.from(body));
      expect(res.status).toBe(400);
      expect(res.text).toContain('please try again');
      expect(res.text).toContain('<form');
    },
  );

  it.each(MALFORMED)(
    'POST /media/upload (editor paste) with %s → 400 malformed_multipart',
    async (_, type, body) => {
      const res = await gw
        .http()
        .post('/media/upload')
        .set('cookie', session.cookie)
        .set('x-csrf-token', session.csrf)
        .set('content-type', type)
        .send(Buffer.from(body));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('malformed_multipart');
    },
  );

  it.each([
    ['just over the limit (streamed, then cut off)', 100 * 1024],
    ['declaring far more than the limit in Content-Length', 1024 * 1024],
  ])('answers 413 payload_too_large for a web upload %s (it was 415)', async (_, bytes) => {
    const res = await gw
      .http()
      .post('/media/upload')
      .set('cookie', session.cookie)
      .set('x-csrf-token', session.csrf)
      .attach('file', Buffer.alloc(bytes, 1), { filename: 'big.png', contentType: 'image/png' });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });
});
