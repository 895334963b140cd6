import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { BOOTSTRAP_TOKEN, startGateway, type GatewayHarness } from './gateway-harness.js';

/**
 * The limits scaled down so the property takes about a second to prove: an upload may wait on
 * media for its whole processing budget (UPSTREAM_MEDIA_TIMEOUT_MS), well past the wait any other
 * upstream call gets (UPSTREAM_HEADERS_TIMEOUT_MS), and the browser's socket outlives that budget.
 */
const HEADERS_TIMEOUT_MS = 200;
const MEDIA_BUDGET_MS = 1_500;
/** Longer than any other upstream call may wait, shorter than media's budget. */
const PROCESSING_MS = 800;

describe('a slow media upload (a large HEIC waiting in the queue)', () => {
  const media = new FakeUpstream();
  let gw: GatewayHarness;
  let processingMs = PROCESSING_MS;

  beforeAll(async () => {
    await media.start();
    media.handler = (req, res) => {
      // The fake's stand-in for media's work: its answer is due after processingMs.
      setTimeout(() => {
        res
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: 'm1', bytes: req.body.length }));
      }, processingMs);
    };
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: media.url,
      MEDIA_URL: media.url,
      UPSTREAM_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      UPSTREAM_MEDIA_TIMEOUT_MS: String(MEDIA_BUDGET_MS),
    });
  });
  afterAll(async () => {
    await gw?.close();
    await media.stop();
  });

  function upload() {
    return gw
      .http()
      .post('/api/v1/media')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .attach('file', Buffer.from('image bytes'), 'IMG_0001.HEIC');
  }

  it('closes a silent browser socket only after media’s budget, not before', () => {
    // What Node enforces on the gateway's sockets (Fastify's connectionTimeout): an upload sits
    // silent on its socket for as long as media works, so this must exceed the budget.
    const idleLimitMs = (gw.app.getHttpServer() as { timeout: number }).timeout;
    expect(idleLimitMs).toBeGreaterThan(MEDIA_BUDGET_MS);
    expect(idleLimitMs).toBe(MEDIA_BUDGET_MS + 5_000);
  });

  it('keeps the browser connection open while media works, then answers 201', async () => {
    processingMs = PROCESSING_MS;
    const res = await upload();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'm1' });
  });

  it('answers 503 once media overruns its budget, instead of leaving the browser waiting', async () => {
    // Media would still answer 201, a second after the budget: the 503 shows the gateway cut it.
    processingMs = MEDIA_BUDGET_MS + 1_000;
    const res = await upload();
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      error: { code: 'upstream_unavailable', details: { upstream: 'media', reason: 'timeout' } },
    });
  });
});
