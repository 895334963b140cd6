import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { BOOTSTRAP_TOKEN, startGateway, type GatewayHarness } from './gateway-harness.js';

/** Longer than the 10 s idle-socket limit the services once shared, shorter than media's budget. */
const PROCESSING_MS = 11_000;

describe('a slow media upload (a large HEIC waiting in the queue)', () => {
  const media = new FakeUpstream();
  let gw: GatewayHarness;

  beforeAll(async () => {
    await media.start();
    media.handler = (req, res) => {
      setTimeout(() => {
        res
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: 'm1', bytes: req.body.length }));
      }, PROCESSING_MS);
    };
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: media.url,
      MEDIA_URL: media.url,
      UPSTREAM_MEDIA_TIMEOUT_MS: '20000',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await media.stop();
  });

  it('keeps the browser connection open while media works, then answers 201', async () => {
    const res = await gw
      .http()
      .post('/api/v1/media')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .attach('file', Buffer.from('image bytes'), 'IMG_0001.HEIC');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'm1' });
  }, 30_000);
});
