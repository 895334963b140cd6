import { request as httpRequest } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { BOOTSTRAP_TOKEN, startGateway, type GatewayHarness } from './gateway-harness.js';

const auth = `Bearer ${BOOTSTRAP_TOKEN}`;
const IMAGE = Buffer.from('0123456789abcdefghij');

describe('media proxy: streaming, caching headers, limits, timeouts (fake media)', () => {
  const media = new FakeUpstream();
  let gw: GatewayHarness;
  let hang = false;

  beforeAll(async () => {
    await media.start();
    media.handler = (req, res) => {
      // The same fake stands in for notes, which lets everyone read every image here
      // (access itself: media-access-fake.e2e.test.ts).
      if (req.url.startsWith('/api/v1/media-access/')) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ mediaId: 'm1', public: true }));
        return;
      }
      if (hang) return; // never answers
      if (req.method === 'POST') {
        res
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: 'm1', bytes: req.body.length }));
        return;
      }
      const headers = {
        'content-type': 'image/webp',
        etag: '"abc"',
        'cache-control': 'public, max-age=31536000, immutable',
        vary: 'Accept',
        'accept-ranges': 'bytes',
      };
      if (req.headers['if-none-match'] === '"abc"') {
        res.writeHead(304, headers).end();
      } else if (req.headers.range === 'bytes=0-3') {
        res
          .writeHead(206, {
            ...headers,
            'content-range': `bytes 0-3/${IMAGE.length}`,
            'content-length': '4',
          })
          .end(IMAGE.subarray(0, 4));
      } else {
        res
          .writeHead(200, { ...headers, 'content-length': String(IMAGE.length) })
          .end(req.method === 'HEAD' ? undefined : IMAGE);
      }
    };
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: media.url,
      MEDIA_URL: media.url,
      MEDIA_MAX_UPLOAD_BYTES: '4KiB',
      UPSTREAM_HEADERS_TIMEOUT_MS: '400',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await media.stop();
  });

  it('streams an upload to media as multipart, untouched', async () => {
    const res = await gw
      .http()
      .post('/api/v1/media')
      .set('authorization', auth)
      .attach('file', IMAGE, 'a.png');
    expect(res.status).toBe(201);
    const seen = media.requests.at(-1)!;
    expect(seen.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.body.includes(IMAGE)).toBe(true);
  });

  it('refuses uploads over the limit with 413 before they reach media', async () => {
    const before = media.requests.length;
    const res = await gw
      .http()
      .post('/api/v1/media')
      .set('authorization', auth)
      .attach('file', Buffer.alloc(200 * 1024), 'big.png');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(media.requests.length).toBe(before);
  });

  it('cuts off a chunked upload (no Content-Length) once it passes the limit', async () => {
    await gw.app.listen(0, '127.0.0.1');
    const { port } = gw.app.getHttpServer().address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/media',
          headers: {
            authorization: auth,
            'content-type': 'multipart/form-data; boundary=x',
            'transfer-encoding': 'chunked',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      // 8 KiB in 1 KiB chunks, past the 4 KiB limit plus the multipart allowance... twice over.
      for (let i = 0; i < 80; i++) req.write(Buffer.alloc(1024, 97));
      req.end();
    });
    expect(status).toBe(413);
    expect((await gw.http().get('/healthz')).status).toBe(200);
  });

  it('passes image bytes, ETag/304, ranges and Vary through, but never lets shared caches keep them', async () => {
    const full = await gw
      .http()
      .get('/api/v1/media/m1?w=640')
      .set('authorization', auth)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(full.status).toBe(200);
    expect(full.body).toEqual(IMAGE);
    expect(full.headers['content-length']).toBe(String(IMAGE.length));
    expect(full.headers.etag).toBe('"abc"');
    expect(full.headers.vary).toBe('Accept');
    expect(full.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(media.requests.at(-1)!.url).toBe('/api/v1/media/m1?w=640');

    const cached = await gw
      .http()
      .get('/api/v1/media/m1')
      .set('authorization', auth)
      .set('if-none-match', '"abc"');
    expect(cached.status).toBe(304);

    const range = await gw
      .http()
      .get('/api/v1/media/m1')
      .set('authorization', auth)
      .set('range', 'bytes=0-3');
    expect(range.status).toBe(206);
    expect(range.headers['content-range']).toBe('bytes 0-3/20');

    const head = await gw.http().head('/api/v1/media/m1').set('authorization', auth);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(IMAGE.length));
  });

  it('answers 503 when media does not answer in time, then works again', async () => {
    hang = true;
    const slow = await gw.http().get('/api/v1/media/m1').set('authorization', auth);
    expect(slow.status).toBe(503);
    expect(slow.body.error).toMatchObject({
      code: 'upstream_unavailable',
      details: { reason: 'timeout' },
    });
    hang = false;
    const ok = await gw.http().get('/api/v1/media/m1').set('authorization', auth);
    expect(ok.status).toBe(200);
    const metrics = await gw.metrics.registry.metrics();
    expect(metrics).toMatch(
      /lateral_upstream_request_duration_seconds_count\{[^}]*upstream="media",method="GET",status_code="error"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /lateral_upstream_request_duration_seconds_count\{[^}]*upstream="media",method="GET",status_code="200"[^}]*\} [1-9]/,
    );
  });
});
