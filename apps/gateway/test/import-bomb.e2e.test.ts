import { strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { BOOTSTRAP_TOKEN, startGateway, type GatewayHarness } from './gateway-harness.js';
import { bombZip, declareSize } from '../src/import/testing/zip-builders.js';

const MiB = 2 ** 20;

describe('POST /api/v1/import with hostile archives', () => {
  const notes = new FakeUpstream();
  const media = new FakeUpstream();
  let gw: GatewayHarness;
  let slowBomb: Buffer;

  beforeAll(async () => {
    await notes.start();
    await media.start();
    notes.handler = (req, res) =>
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: 'n1', slug: 'p', version: 1, ...JSON.parse(String(req.body)) }));
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: notes.url,
      MEDIA_URL: media.url,
      IMPORT_MAX_FILES: '50',
      IMPORT_CONCURRENCY: '1',
      IMPORT_QUEUE_CAPACITY: '1',
    });
    // ~180 MiB of images inside the budget, then a page whose header understates its size:
    // the gateway inflates everything before it finds the lie.
    slowBomb = Buffer.from(
      declareSize(
        bombZip({
          'a.png': 45 * MiB,
          'b.png': 45 * MiB,
          'c.png': 45 * MiB,
          'd.png': 45 * MiB,
          'page.md': 4 * MiB,
        }),
        'page.md',
        1000,
      ),
    );
  }, 120_000);
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
    await media.stop();
  });

  const post = (zip: Uint8Array) =>
    gw
      .http()
      .post('/api/v1/import')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .attach('file', Buffer.from(zip), 'export.zip');

  it('refuses a page whose header lies about its size (it used to be imported truncated)', async () => {
    const liar = declareSize(bombZip({ 'Home.md': strToU8('# Home\n\nAll of it.') }), 'Home.md', 6);
    const res = await post(liar);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('import_invalid');
    expect(res.body.error.message).toMatch(/Home\.md does not match the size/);
    expect(notes.requests).toHaveLength(0);
  });

  it('refuses 200 MiB of zeros declared as 1000 bytes at once, without inflating it', async () => {
    const started = performance.now();
    const res = await post(declareSize(bombZip({ 'zeros.md': 200 * MiB }), 'zeros.md', 1000));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('import_invalid');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('counts entries that are not imported against IMPORT_MAX_FILES', async () => {
    const entries: Record<string, Uint8Array> = { 'Home.md': strToU8('# Home') };
    for (let i = 0; i < 60; i++) entries[`attachments/${i}.pdf`] = strToU8('%PDF');
    const res = await post(bombZip(entries));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('import_too_large');
    expect(res.body.error.message).toMatch(/too many files/);
  });

  it('leaves out a page larger than IMPORT_MAX_PAGE_BYTES unread (a 500 MiB page of zeros)', async () => {
    const res = await post(bombZip({ 'zeros.md': 500 * MiB }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('import_too_large');
    expect(res.body.error.message).toMatch(/zeros\.md is 500\.0 MiB/);
  }, 60_000);

  it('keeps /healthz answering while bombs are unpacked, and bounds imports at once (503 + Retry-After)', async () => {
    const imports = [post(slowBomb), post(slowBomb), post(slowBomb)].map((r) =>
      r.then((res) => res),
    );
    const healthTimes: number[] = [];
    let settled = false;
    void Promise.all(imports).finally(() => (settled = true));
    const deadline = performance.now() + 45_000;
    while (!settled) {
      if (performance.now() > deadline) throw new Error('the imports did not settle within 45 s');
      const started = performance.now();
      const health = await gw.http().get('/healthz');
      expect(health.status).toBe(200);
      healthTimes.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const answers = await Promise.all(imports);
    const statuses = answers.map((a) => a.status).sort();
    // One runs, one waits for the slot, the third finds the line full.
    expect(statuses).toEqual([400, 400, 503]);
    const busy = answers.find((a) => a.status === 503)!;
    expect(busy.body.error.code).toBe('service_unavailable');
    expect(busy.headers['retry-after']).toBe('5');
    for (const refused of answers.filter((a) => a.status === 400)) {
      expect(refused.body.error.message).toMatch(/page\.md does not match the size/);
    }
    expect(healthTimes.length).toBeGreaterThan(3);
    expect(Math.max(...healthTimes)).toBeLessThan(500);
  }, 60_000);
});
